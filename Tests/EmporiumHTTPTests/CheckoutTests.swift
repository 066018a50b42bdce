import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

extension TestApp {
    /// Sets up the shop of the docs' worked example through the API as its owner: Germany at 19 %
    /// VAT, one zone (DE, AT) with a flat 4.90 method and a weight-band method, and the code SAVE10.
    func checkoutShop(_ client: some TestClientProtocol, owner: String, usageLimit: Int? = nil) async throws -> (flat: String, coupon: String) {
        let headers = HTTPFields.json(token: owner, tenant: "shop")
        let zone = try await client.execute(uri: "/api/v1/shipping-zones", method: .post, headers: headers, body: ByteBuffer(string: """
            {"name":"DACH","countries":["de","AT"],"methods":[{"name":"Standard","type":"flat","price":4.90},
             {"name":"Heavy","type":"weight","bands":[{"upToGrams":1000,"price":6},{"upToGrams":30000,"price":19}],"freeAbove":500}]}
            """))
        guard zone.status == .created else { throw TestFailure("zone: \(zone.status) \(String(buffer: zone.body))") }
        let methods = try #require(((try zone.json()["data"] as? [String: Any])?["methods"] as? [[String: Any]]))
        let flat = try #require(methods.first { $0["name"] as? String == "Standard" }?["id"] as? String)
        let rate = try await client.execute(uri: "/api/v1/tax-rates", method: .post, headers: headers,
                                            body: ByteBuffer(string: #"{"country":"DE","name":"VAT","rate":19}"#))
        guard rate.status == .created else { throw TestFailure("rate: \(rate.status) \(String(buffer: rate.body))") }
        let limit = usageLimit.map { #","usageLimit":\#($0)"# } ?? ""
        let coupon = try await client.execute(uri: "/api/v1/discounts", method: .post, headers: headers,
                                              body: ByteBuffer(string: #"{"code":"save10","name":"10 % off","type":"percentage","value":10\#(limit)}"#))
        guard coupon.status == .created else { throw TestFailure("coupon: \(coupon.status) \(String(buffer: coupon.body))") }
        return (flat, try #require((try coupon.json()["data"] as? [String: Any])?["id"] as? String))
    }
}

let berlin = #"{"name":"Ada Lovelace","line1":"Unter den Linden 1","city":"Berlin","postalCode":"10117","country":"DE"}"#

@Suite("Checkout: addresses, shipping, tax, coupons, invoices")
struct CheckoutTests {
    /// The worked example of docs/commerce.md over HTTP: quote and order agree to the cent, the
    /// order freezes address, method, discount and tax, and paying gives invoice number 1.
    @Test func aPurchaseWithCouponTaxAndShippingChargesTheWorkedExampleTotal() async throws {
        let app = try TestApp.make()
        let (shop, category) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA", name: "Teapot", price: "19.99")
        let mug = try await app.product(in: shop, sku: "MUG", name: "Mug", price: "4.99", category: category.id)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let (flat, _) = try await app.checkoutShop(client, owner: owner)
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let items = #"[{"productId":"\#(teapot.id.lowercased)","quantity":2},{"productId":"\#(mug.id.lowercased)","quantity":3}]"#

            let options = try await client.execute(uri: "/api/v1/checkout/quote", method: .post, headers: buyer,
                                                   body: ByteBuffer(string: #"{"items":\#(items),"shippingAddress":\#(berlin)}"#))
            #expect(options.status == .ok)
            let offered = try #require((try options.json()["data"] as? [String: Any])?["shippingOptions"] as? [[String: Any]])
            #expect(offered.map { $0["name"] as? String } == ["Standard", "Heavy"])

            let choice = #""shippingAddress":\#(berlin),"shippingMethodId":"\#(flat)","couponCode":" Save10 ""#
            let quote = try await client.execute(uri: "/api/v1/checkout/quote", method: .post, headers: buyer,
                                                 body: ByteBuffer(string: #"{"items":\#(items),\#(choice)}"#))
            let quoted = try #require((try quote.json()["data"] as? [String: Any])?["totals"] as? [String: Any])
            #expect(quoted["total"] as? Double == 64.68)

            let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer,
                                                  body: ByteBuffer(string: #"{"items":\#(items),\#(choice)}"#))
            #expect(placed.status == .created, "\(String(buffer: placed.body))")
            let order = try #require(try placed.json()["data"] as? [String: Any])
            let totals = try #require(order["totals"] as? [String: Any])
            #expect(totals["subtotal"] as? Double == 54.95)
            #expect(totals["discount"] as? Double == 5.5)
            #expect(totals["shipping"] as? Double == 4.9)
            #expect(totals["tax"] as? Double == 10.33)
            #expect(totals["total"] as? Double == 64.68)
            #expect(totals["net"] as? Double == 54.35)
            #expect(order["total"] as? Double == 64.68)
            #expect((order["shippingAddress"] as? [String: Any])?["city"] as? String == "Berlin")
            #expect((order["billingAddress"] as? [String: Any])?["city"] as? String == "Berlin")
            #expect((order["shippingMethod"] as? [String: Any])?["price"] as? Double == 4.9)
            #expect((order["discounts"] as? [[String: Any]])?.first?["code"] as? String == "SAVE10")
            #expect((order["taxLines"] as? [[String: Any]])?.first?["rate"] as? Double == 19)
            #expect(order["invoiceNumber"] == nil)
            let id = try #require(order["id"] as? String)

            // No invoice before payment; the packing slip is there at once.
            let early = try await client.execute(uri: "/api/v1/orders/\(id)/invoice", method: .get, headers: buyer)
            #expect(early.status == .conflict)
            let slip = try await client.execute(uri: "/api/v1/orders/\(id)/invoice?document=packing-slip", method: .get, headers: buyer)
            #expect(slip.status == .ok && String(buffer: slip.body).contains("Unter den Linden 1"))

            let paid = try await client.execute(uri: "/api/v1/orders/\(id)/pay", method: .post, headers: .json(token: owner, tenant: "shop"))
            #expect((try paid.json()["data"] as? [String: Any])?["invoiceNumber"] as? Int == 1)
            let invoice = try await client.execute(uri: "/api/v1/orders/\(id)/invoice", method: .get, headers: buyer)
            #expect(invoice.status == .ok)
            #expect(invoice.headers[.contentType]?.hasPrefix("text/html") == true)
            let html = String(buffer: invoice.body)
            for text in ["Invoice 1", "64.68 USD", "10.33 USD", "VAT 19 %", "SAVE10", "Ada Lovelace"] {
                #expect(html.contains(text), "the invoice shows \(text)")
            }
        }
    }

    @Test func ordersNeedAnAddressTheShopShipsToAndOneOfItsMethods() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA")
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            _ = try await app.checkoutShop(client, owner: owner)
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let items = #""items":[{"productId":"\#(teapot.id.lowercased)","quantity":1}]"#
            func order(_ extra: String) async throws -> (HTTPResponse.Status, [String]) {
                let response = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer, body: ByteBuffer(string: "{\(items)\(extra)}"))
                let details = ((try? response.json()["error"] as? [String: Any])?["details"] as? [[String: Any]]) ?? []
                return (response.status, details.compactMap { $0["field"] as? String })
            }
            #expect(try await order("") == (.unprocessableContent, ["shippingAddress"]))
            #expect(try await order(#","shippingAddress":\#(berlin)"#) == (.unprocessableContent, ["shippingMethodId"]))
            let paris = #"{"name":"A","line1":"1 Rue","city":"Paris","country":"FR"}"#
            #expect(try await order(#","shippingAddress":\#(paris)"#) == (.unprocessableContent, ["shippingAddress.country"]))
            let bad = #"{"name":"","line1":"1 Rue","city":"Paris","country":"XX"}"#
            #expect(try await order(#","shippingAddress":\#(bad)"#) == (.unprocessableContent, ["shippingAddress.name", "shippingAddress.country"]))
            #expect(try await order(#","shippingAddress":\#(berlin),"shippingMethodId":"\#(UUID().uuidString)""#).1 == ["shippingMethodId"])
            #expect(try await order(#","couponCode":"NOPE""#).1 == ["couponCode"])
            // Nothing was reserved by any refused attempt
            let product = try await app.backend.tenantStorage.read(shop) { tx in try tx.catalog.product(reference: teapot.id.lowercased)! }
            #expect(product.reserved == 0)
        }
    }

    /// 50 buyers race for a code with 10 uses left: exactly 10 orders carry it, the use count is
    /// exactly the limit, and a cancelled unpaid order gives its use back.
    @Test func fiftyBuyersRacingForTenUsesOfACodeGetExactlyTen() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA", stock: 1000)
        let buyers = try await withThrowingTaskGroup(of: User.self) { group in
            for index in 1...50 { group.addTask { try await app.user("racer\(index)@example.com", role: .customer, in: shop) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let (flat, coupon) = try await app.checkoutShop(client, owner: owner, usageLimit: 10)
            var tokens: [String] = []
            for buyer in buyers { tokens.append(try await app.accessToken(client, buyer.email)) }
            let body = #"{"items":[{"productId":"\#(teapot.id.lowercased)","quantity":1}],"shippingAddress":\#(berlin),"shippingMethodId":"\#(flat)","couponCode":"SAVE10"}"#
            let results = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for token in tokens {
                    group.addTask {
                        let response = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: token, tenant: "shop"),
                                                                body: ByteBuffer(string: body))
                        return (Int(response.status.code), (try? response.json()["data"] as? [String: Any])?["id"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.0 == 201 }.count == 10)
            #expect(results.filter { $0.0 == 409 }.count == 40)
            let owners = HTTPFields.json(token: owner, tenant: "shop")
            let used = try await client.execute(uri: "/api/v1/discounts/\(coupon)", method: .get, headers: owners)
            #expect((try used.json()["data"] as? [String: Any])?["usedCount"] as? Int == 10)
            let reserved = try await app.backend.tenantStorage.read(shop) { tx in try tx.catalog.product(reference: teapot.id.lowercased)!.reserved }
            #expect(reserved == 10, "refused orders reserved nothing")

            let first = try #require(results.first { $0.0 == 201 }?.1)
            #expect(try await client.execute(uri: "/api/v1/orders/\(first)/cancel", method: .post, headers: owners).status == .ok)
            let after = try await client.execute(uri: "/api/v1/discounts/\(coupon)", method: .get, headers: owners)
            #expect((try after.json()["data"] as? [String: Any])?["usedCount"] as? Int == 9)
        }
    }

    @Test func aPerCustomerLimitAndDatesAreEnforced() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA", price: "10")
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owners = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            let once = try await client.execute(uri: "/api/v1/discounts", method: .post, headers: owners, body: ByteBuffer(string:
                #"{"code":"WELCOME","name":"Welcome","type":"fixed","value":3,"perCustomerLimit":1,"minimumSubtotal":5}"#))
            #expect(once.status == .created)
            let later = try await client.execute(uri: "/api/v1/discounts", method: .post, headers: owners, body: ByteBuffer(string:
                #"{"code":"XMAS","name":"Xmas","type":"percentage","value":5,"startsAt":"2999-12-24T00:00:00Z"}"#))
            #expect(later.status == .created)
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            func order(_ code: String, quantity: Int = 1) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer, body: ByteBuffer(string:
                    #"{"items":[{"productId":"\#(teapot.id.lowercased)","quantity":\#(quantity)}],"couponCode":"\#(code)"}"#))
            }
            let first = try await order("welcome")
            #expect(first.status == .created)
            #expect(((try first.json()["data"] as? [String: Any])?["totals"] as? [String: Any])?["total"] as? Double == 7)
            let second = try await order("WELCOME")
            #expect(second.status == .unprocessableContent)
            #expect(String(buffer: second.body).contains("already used"))
            #expect(try await order("XMAS").status == .unprocessableContent)
            // An automatic promotion needs no code and applies by itself
            _ = try await client.execute(uri: "/api/v1/discounts", method: .post, headers: owners, body: ByteBuffer(string:
                #"{"name":"Two for less","type":"fixed","value":1,"minimumSubtotal":20}"#))
            let auto = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer, body: ByteBuffer(string:
                #"{"items":[{"productId":"\#(teapot.id.lowercased)","quantity":2}]}"#))
            #expect(((try auto.json()["data"] as? [String: Any])?["totals"] as? [String: Any])?["total"] as? Double == 19)
        }
    }

    @Test func theAddressBookBelongsToItsOwnerAlone() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        try await app.user("ada@example.com", role: .customer, in: shop)
        try await app.user("eve@example.com", role: .customer, in: shop)
        try await app.run { client in
            let ada = HTTPFields.json(token: try await app.accessToken(client, "ada@example.com"), tenant: "shop")
            let eve = HTTPFields.json(token: try await app.accessToken(client, "eve@example.com"), tenant: "shop")
            let saved = try await client.execute(uri: "/api/v1/addresses", method: .post, headers: ada, body: ByteBuffer(string: berlin))
            #expect(saved.status == .created)
            let id = try #require((try saved.json()["data"] as? [String: Any])?["id"] as? String)
            #expect(try await client.execute(uri: "/api/v1/addresses/\(id)", method: .delete, headers: eve).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/addresses/\(id)", method: .put, headers: eve, body: ByteBuffer(string: berlin)).status == .notFound)
            let eves = try await client.execute(uri: "/api/v1/addresses", method: .get, headers: eve)
            #expect(((try eves.json()["data"] as? [String: Any])?["addresses"] as? [Any])?.isEmpty == true)
            let invalid = try await client.execute(uri: "/api/v1/addresses", method: .post, headers: ada,
                                                   body: ByteBuffer(string: #"{"name":"A","line1":"B","city":"C","country":"ZZ"}"#))
            #expect(invalid.status == .unprocessableContent)
            #expect(try await client.execute(uri: "/api/v1/addresses/\(id)", method: .delete, headers: ada).status == .ok)
        }
    }

    /// A shop in yen has no decimals: 1500 is 1500, 15.5 is refused; totals come back whole.
    @Test func aShopInYenPricesAndTotalsInWholeYen() async throws {
        let app = try TestApp.make()
        let shop = try await app.deps.tenants.create(NewTenant(name: "Shop", subdomain: "shop", settings: ["currency": .string("JPY")])).id
        try await app.user("owner@example.com", role: .owner, in: shop)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owners = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            let refused = try await client.execute(uri: "/api/v1/products", method: .post, headers: owners,
                                                   body: ByteBuffer(string: #"{"name":"Tea","sku":"T","price":15.5,"status":"active","stock":5}"#))
            #expect(refused.status == .unprocessableContent)
            let created = try await client.execute(uri: "/api/v1/products", method: .post, headers: owners,
                                                   body: ByteBuffer(string: #"{"name":"Tea","sku":"T","price":1500,"status":"active","stock":5}"#))
            let product = try #require(try created.json()["data"] as? [String: Any])
            #expect(product["price"] as? Int == 1500)
            _ = try await client.execute(uri: "/api/v1/tax-rates", method: .post, headers: owners,
                                         body: ByteBuffer(string: #"{"country":"JP","name":"Consumption tax","rate":10}"#))
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let tokyo = #"{"name":"A","line1":"1-1 Chiyoda","city":"Tokyo","country":"JP"}"#
            let order = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer, body: ByteBuffer(string:
                #"{"items":[{"productId":"\#(product["id"] as! String)","quantity":3}],"shippingAddress":\#(tokyo)}"#))
            let totals = try #require((try order.json()["data"] as? [String: Any])?["totals"] as? [String: Any])
            #expect(totals["tax"] as? Int == 450)
            #expect(totals["total"] as? Int == 4950)
        }
    }
}
