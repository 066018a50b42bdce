import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The findings of the second hostile review (issue "Hostile callers, round two"), one regression
/// test each where the router is enough; the connection-level ones (slow readers, pipelined half
/// requests) are end-to-end tests and CI stages against the real binary.
@Suite("Hostile callers, round two: look-alike markup, erasure in the WAL, quoted totals, currency, e-mail takeover")
struct HostileCallerRoundTwoTests {
    static let lookAlikeName = "\u{600}<meta http-equiv=refresh content=0;url=https://evil.example/ \u{600}>"

    /// U+0600 before `<` formed one grapheme with it, and escaping by Character let the tag through
    /// into the packing slip staff print.
    @Test func aLookAlikeMarkBeforeMarkupCannotOpenATagInThePackingSlipOrInvoice() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA", name: "\u{301}<b onmouseover=x>Teapot", price: "19.99")
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let (flat, _) = try await app.checkoutShop(client, owner: owner)
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let name = String(decoding: try JSONEncoder().encode(Self.lookAlikeName), as: UTF8.self)
            let address = #"{"name":\#(name),"line1":"\u200d<script>x</script>","city":"Berlin","postalCode":"10117","country":"DE"}"#
            let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer, body: ByteBuffer(string: """
                {"items":[{"productId":"\(teapot.id.lowercased)","quantity":1}],"shippingAddress":\(address),"shippingMethodId":"\(flat)"}
                """))
            #expect(placed.status == .created, "\(String(buffer: placed.body))")
            let id = try #require((try placed.json()["data"] as? [String: Any])?["id"] as? String)
            _ = try await client.execute(uri: "/api/v1/orders/\(id)/pay", method: .post, headers: .json(token: owner, tenant: "shop"))
            for document in ["packing-slip", "invoice"] {
                let answer = try await client.execute(uri: "/api/v1/orders/\(id)/invoice?document=\(document)", method: .get, headers: buyer)
                #expect(answer.status == .ok)
                // Searched as bytes: String.contains compares Characters, and "\u{600}<" is one Character.
                let bytes = Data(answer.body.readableBytesView)
                for tag in ["<meta http-equiv", "<script>", "<b onmouseover"] {
                    #expect(bytes.range(of: Data(tag.utf8)) == nil, "\(document) holds a live \(tag)")
                }
                #expect(bytes.range(of: Data("&lt;meta http-equiv=refresh".utf8)) != nil, "\(document) shows the name as text")
            }
        }
    }

    /// A price changed between the quote and the order was charged silently.
    @Test func anOrderThatWouldCostOtherThanTheQuoteIs409WithTheNewTotalsAndReservesNothing() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA", name: "Teapot", price: "19.99", stock: 5)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let (flat, _) = try await app.checkoutShop(client, owner: owner)
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let choices = #""items":[{"productId":"\#(teapot.id.lowercased)","quantity":2}],"shippingAddress":\#(berlin),"shippingMethodId":"\#(flat)""#
            let quote = try await client.execute(uri: "/api/v1/checkout/quote", method: .post, headers: buyer, body: ByteBuffer(string: "{\(choices)}"))
            let quoted = try #require(((try quote.json()["data"] as? [String: Any])?["totals"] as? [String: Any])?["total"] as? Double)
            #expect(quoted > 39.98)

            // The owner raises the price after the quote
            let raised = try await client.execute(uri: "/api/v1/products/\(teapot.id.lowercased)", method: .patch,
                                                  headers: .json(token: owner, tenant: "shop"), body: ByteBuffer(string: #"{"price":24.99}"#))
            #expect(raised.status == .ok)
            let refused = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer,
                                                   body: ByteBuffer(string: #"{\#(choices),"expectedTotal":\#(quoted)}"#))
            #expect(refused.status == .conflict, "\(String(buffer: refused.body))")
            #expect(try refused.errorCode() == "PRICE_CHANGED")
            let error = try #require(try refused.json()["error"] as? [String: Any])
            let totals = try #require(error["totals"] as? [String: Any])
            let now = try #require(totals["total"] as? Double)
            #expect(now > quoted)
            // Nothing reserved, no order
            let stored = try await app.deps.catalog.product(in: shop, reference: teapot.id.lowercased, includeHidden: true)
            #expect(stored.variants.first?.reserved == 0)
            let orders = try await client.execute(uri: "/api/v1/orders", method: .get, headers: .json(token: owner, tenant: "shop"))
            #expect(((try orders.json()["data"] as? [String: Any])?["orders"] as? [Any])?.isEmpty == true)

            // The new total, as the error said, is accepted
            let accepted = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer,
                                                    body: ByteBuffer(string: #"{\#(choices),"expectedTotal":\#(now)}"#))
            #expect(accepted.status == .created, "\(String(buffer: accepted.body))")
            let negative = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer,
                                                    body: ByteBuffer(string: #"{\#(choices),"expectedTotal":-1}"#))
            #expect(negative.status == .unprocessableContent)
        }
    }

    /// A settings patch from USD to KWD turned 10.50 into 1.050.
    @Test func theCurrencyCannotChangeUnderPricesButMayBeforeThereAreAny() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let empty = try await app.shop("empty")
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let bare = try await client.execute(uri: "/api/v1/platform/tenants/\(empty.lowercased)", method: .patch, headers: .json(token: token),
                                                body: ByteBuffer(string: #"{"settings":{"currency":"KWD"}}"#))
            #expect(bare.status == .ok, "a shop with nothing priced may choose its currency: \(String(buffer: bare.body))")

            try await app.product(in: shop, sku: "TEA", price: "10.50")
            let priced = try await client.execute(uri: "/api/v1/platform/tenants/\(shop.lowercased)", method: .patch, headers: .json(token: token),
                                                  body: ByteBuffer(string: #"{"settings":{"currency":"KWD"}}"#))
            #expect(priced.status == .conflict, "\(String(buffer: priced.body))")
            #expect(String(buffer: priced.body).contains("USD"))
            let same = try await client.execute(uri: "/api/v1/platform/tenants/\(shop.lowercased)", method: .patch, headers: .json(token: token),
                                                body: ByteBuffer(string: #"{"name":"Renamed","settings":{"currency":"usd"}}"#))
            #expect(same.status == .ok, "the same currency, and other fields, still change: \(String(buffer: same.body))")
            let listed = try await client.execute(uri: "/api/v1/products?search=TEA", method: .get, headers: .json(tenant: "shop"))
            #expect(String(buffer: listed.body).contains("10.5"))
        }
    }

    /// Changing one's e-mail took a bearer token alone; the e-mail is where a reset goes.
    @Test func changingTheEmailNeedsTheCurrentPasswordButANameDoesNot() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            for body in [#"{"email":"thief@example.com"}"#, #"{"email":"thief@example.com","currentPassword":"wrong-password"}"#] {
                let refused = try await client.execute(uri: "/api/v1/auth/me", method: .patch, headers: buyer, body: ByteBuffer(string: body))
                #expect(refused.status == .unprocessableContent, "\(body): \(String(buffer: refused.body))")
                #expect(String(buffer: refused.body).contains("currentPassword"))
            }
            let named = try await client.execute(uri: "/api/v1/auth/me", method: .patch, headers: buyer,
                                                 body: ByteBuffer(string: #"{"firstName":"Ada","email":"Buyer@Example.com"}"#))
            #expect(named.status == .ok, "the same address in other letters is no change: \(String(buffer: named.body))")
            let moved = try await client.execute(uri: "/api/v1/auth/me", method: .patch, headers: buyer,
                                                 body: ByteBuffer(string: #"{"email":"new@example.com","currentPassword":"password-123"}"#))
            #expect(moved.status == .ok, "\(String(buffer: moved.body))")
            #expect((try moved.json()["data"] as? [String: Any])?["email"] as? String == "new@example.com")
        }
    }

    /// After an erasure the person's rows stayed in the shop's `-wal` until hundreds of later writes
    /// checkpointed it; a copy of the files taken meanwhile held them.
    @Test func anErasureLeavesNoneOfThePersonsBytesInTheShopsFilesWhileTheServerRuns() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let marker = "Zebulon\(UUID().uuidString.prefix(8))"
        let customer = try await app.deps.users.create(in: shop, .init(email: "\(marker.lowercased())@example.com", password: "password-123",
                                                                        firstName: marker, lastName: "Quixote\(marker)", role: .customer),
                                                       by: .commandLine)
        try await app.run { client in
            let buyer = HTTPFields.json(token: try await app.accessToken(client, customer.email), tenant: "shop")
            let saved = try await client.execute(uri: "/api/v1/addresses", method: .post, headers: buyer, body: ByteBuffer(string: """
                {"name":"\(marker) Quixote","line1":"\(marker)strasse 7","city":"Berlin","postalCode":"10117","country":"DE"}
                """))
            #expect(saved.status == .created, "\(String(buffer: saved.body))")
            let owner = try await app.accessToken(client, "owner@example.com")
            let erased = try await client.execute(uri: "/api/v1/users/\(customer.id.lowercased)/erase", method: .post,
                                                  headers: .json(token: owner, tenant: "shop"))
            #expect(erased.status == .ok, "\(String(buffer: erased.body))")
            // The server is still running with the file open: look at the bytes a copy would hold.
            let base = "\(app.config.tenantsDirectory)/\(shop.lowercased).sqlite"
            for suffix in ["", "-wal", "-shm"] {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: base + suffix))) ?? Data()
                for needle in [marker, marker.lowercased(), "\(marker)strasse"] {
                    #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(suffix.isEmpty ? "main file" : suffix) still holds \(needle)")
                }
            }
        }
    }

    /// `search=e&sort=-price&limit=100&page=N` cost a second of a core for every N; a search now
    /// pages through its first 1,000 results, and deeper is 400 naming the range.
    @Test func aSearchPagesThroughItsFirstThousandResultsAndNoDeeper() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.product(in: shop, sku: "TEA", name: "Teapot")
        try await app.run { client in
            for (query, status) in [("search=tea&sort=-price&limit=100&page=10", HTTPResponse.Status.ok),
                                    ("search=e&sort=-price&limit=100&page=11", .badRequest),
                                    ("search=e&limit=20&page=51", .badRequest),
                                    ("search=e&limit=20&page=50", .ok),
                                    ("sort=-price&limit=100&page=11", .ok)] {
                let answer = try await client.execute(uri: "/api/v1/products?\(query)", method: .get, headers: .json(tenant: "shop"))
                #expect(answer.status == status, "\(query): \(String(buffer: answer.body))")
                if status == .badRequest { #expect(String(buffer: answer.body).contains("first 1000 results")) }
            }
        }
    }
}
