import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// One request and its answer, for the variant tests' many small calls.
private struct Call {
    let status: HTTPResponse.Status
    let body: [String: Any]
    var data: [String: Any] { body["data"] as? [String: Any] ?? [:] }
    var fields: [String] { ((body["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
}

private func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String, _ body: String? = nil) async throws -> Call {
    let response = try await client.execute(uri: "/api/v1" + uri, method: method, headers: .json(token: token, tenant: "shop"),
                                            body: body.map { ByteBuffer(string: $0) })
    return Call(status: response.status, body: try response.json())
}

private let teeShirt = #"""
    {"name":"Tee","sku":"TEE","price":20,"status":"active","weightGrams":200,"variants":[
      {"sku":"TEE-S-RED","options":[{"name":"Size","value":"S"},{"name":"Colour","value":"Red"}],"stock":3},
      {"sku":"TEE-M-RED","options":[{"name":"Size","value":"M"},{"name":"Colour","value":"Red"}],"stock":1,"price":22.5},
      {"sku":"TEE-M-BLUE","options":[{"name":"size","value":"M"},{"name":"Colour","value":"Blue"}],"stock":0,"weightGrams":250}]}
    """#

@Suite("Product variants: options, per-variant stock, carts and orders")
struct VariantTests {
    @Test func aProductWithVariantsShowsItsOptionsFromPriceAndTotals() async throws {
        let app = try TestApp.make()
        _ = try await app.commerceShop()
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let created = try await call(client, .post, "/products", token: owner, teeShirt)
            #expect(created.status == .created, "\(created.body)")
            let product = created.data
            #expect(product["price"] as? Double == 20, "the lowest variant price")
            #expect((product["inventory"] as? [String: Any])?["stock"] as? Int == 4)
            #expect(product["weightGrams"] as? Int == 200)
            let options = product["options"] as? [[String: Any]] ?? []
            #expect(options.map { $0["name"] as? String } == ["Size", "Colour"])
            #expect(options.map { $0["values"] as? [String] } == [["S", "M"], ["Red", "Blue"]])
            let variants = product["variants"] as? [[String: Any]] ?? []
            #expect(variants.map { $0["sku"] as? String } == ["TEE-S-RED", "TEE-M-RED", "TEE-M-BLUE"])
            #expect(variants.map { $0["title"] as? String } == ["S / Red", "M / Red", "M / Blue"])
            #expect(variants.map { $0["price"] as? Double } == [20, 22.5, 20])
            #expect(variants.last?["weightGrams"] as? Int == 250)
            let spelled = (variants.last?["options"] as? [[String: Any]])?.first?["name"] as? String
            #expect(spelled == "Size", "option names take the first variant's spelling")

            // The listing carries the variants too, and search finds the product by a variant's SKU or option value.
            for term in ["TEE-M-BLUE", "blue"] {
                let found = try await call(client, .get, "/products?search=\(term)", token: owner)
                let products = found.data["products"] as? [[String: Any]] ?? []
                #expect(products.map { $0["name"] as? String } == ["Tee"], "search \(term)")
                #expect((products.first?["variants"] as? [Any])?.count == 3)
            }
        }
    }

    @Test(arguments: [
        (#"{"name":"T","sku":"T","price":1,"stock":5,"variants":[{"sku":"T-1","options":[{"name":"Size","value":"S"}]}]}"#, 422, "stock"),
        (#"{"name":"T","sku":"T","price":1,"variants":[{"sku":"T 1"}]}"#, 422, "variants[0].sku"),
        (#"{"name":"T","sku":"T","price":1,"variants":[{"sku":"T-1","price":-2}]}"#, 422, "variants[0].price"),
        (#"{"name":"T","sku":"T","price":1,"variants":[{"sku":"T-1","options":[{"name":"A","value":"1"},{"name":"B","value":"1"},{"name":"C","value":"1"},{"name":"D","value":"1"}]}]}"#, 422, "variants[0].options"),
        (#"{"name":"T","sku":"T","price":1,"variants":[{"sku":"T-1","options":[{"name":"Size","value":"S"},{"name":"size","value":"M"}]}]}"#, 422, "variants[0].options[1].name"),
        (#"{"name":"T","sku":"T","price":1,"variants":[{"sku":"T-1","options":[{"name":"Size","value":""}]}]}"#, 422, "variants[0].options[0].value"),
        (#"{"name":"T","sku":"T","price":1,"variants":[{"sku":"T-1","options":[{"name":"Size","value":"S"}]},{"sku":"T-2","options":[{"name":"Colour","value":"Red"}]}]}"#, 422, "variants.options"),
        (#"{"name":"T","sku":"T","price":1,"variants":[{"sku":"T-1","options":[{"name":"Size","value":"S"}]},{"sku":"T-2","options":[{"name":"Size","value":"s"}]}]}"#, 409, ""),
        (#"{"name":"T","sku":"T","price":1,"variants":[{"sku":"T-1","options":[{"name":"Size","value":"S"}]},{"sku":"T-1","options":[{"name":"Size","value":"M"}]}]}"#, 409, ""),
    ])
    func incoherentVariantsAreRefusedAndNothingIsWritten(_ body: String, _ status: Int, _ field: String) async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let refused = try await call(client, .post, "/products", token: owner, body)
            #expect(refused.status.code == status, "\(refused.body)")
            if !field.isEmpty { #expect(refused.fields.contains(field), "\(refused.body)") }
            let listing = try await app.deps.catalog.list(in: shop, ProductQuery(page: Page(), includeHidden: true))
            #expect(listing.total == 0, "a refused product leaves nothing behind")
        }
    }

    @Test func cartsAndOrdersBuyOneVariantAndStockIsHeldPerVariant() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let buyer = try await app.accessToken(client, "buyer@example.com")
            let product = try await call(client, .post, "/products", token: owner, teeShirt).data
            let id = product["id"] as? String ?? ""
            let variants = (product["variants"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let (small, medium, blue) = (variants[0], variants[1], variants[2])

            let unnamed = try await call(client, .post, "/cart/items", token: buyer, #"{"productId":"\#(id)","quantity":1}"#)
            #expect(unnamed.status == .unprocessableContent && unnamed.fields == ["variantId"], "\(unnamed.body)")
            let foreign = try await call(client, .post, "/cart/items", token: buyer, #"{"productId":"\#(id)","variantId":"\#(UUID().uuidString)","quantity":1}"#)
            #expect(foreign.status == .unprocessableContent && foreign.fields == ["variantId"])

            _ = try await call(client, .post, "/cart/items", token: buyer, #"{"productId":"\#(id)","variantId":"\#(medium)","quantity":1}"#)
            let cart = try await call(client, .post, "/cart/items", token: buyer, #"{"productId":"\#(id)","variantId":"\#(small)","quantity":2}"#)
            // Lines added in the same instant (the test clock stands still) come in either order: sorted by SKU here.
            let items = (cart.data["items"] as? [[String: Any]] ?? []).sorted { ($0["sku"] as? String ?? "") < ($1["sku"] as? String ?? "") }
            #expect(items.map { $0["sku"] as? String } == ["TEE-M-RED", "TEE-S-RED"])
            #expect(items.map { $0["unitPrice"] as? Double } == [22.5, 20])
            #expect(cart.data["subtotal"] as? Double == 62.5)
            #expect((items.first?["options"] as? [[String: Any]])?.map { $0["value"] as? String } == ["M", "Red"])
            // Two variants of one product in the cart: the product id alone no longer names a line.
            let ambiguous = try await call(client, .patch, "/cart/items/\(id)", token: buyer, #"{"quantity":3}"#)
            #expect(ambiguous.status == .unprocessableContent)
            let changed = try await call(client, .patch, "/cart/items/\(small)", token: buyer, #"{"quantity":3}"#)
            #expect((changed.data["items"] as? [[String: Any]])?.first { $0["variantId"] as? String == small }?["quantity"] as? Int == 3)

            // Blue has no stock: the order names it and nothing is reserved.
            let short = try await call(client, .post, "/orders", token: buyer,
                                       #"{"items":[{"productId":"\#(id)","variantId":"\#(blue)","quantity":1},{"productId":"\#(id)","variantId":"\#(small)","quantity":1}]}"#)
            #expect(short.status == .conflict && short.fields == [id], "\(short.body)")
            #expect("\(short.body)".contains("M / Blue"))

            let order = try await call(client, .post, "/orders", token: buyer, "{}")
            #expect(order.status == .created, "\(order.body)")
            let lines = (order.data["items"] as? [[String: Any]] ?? []).sorted { ($0["sku"] as? String ?? "") < ($1["sku"] as? String ?? "") }
            #expect(lines.map { $0["variantId"] as? String } == [medium, small])
            #expect(lines.map { $0["sku"] as? String } == ["TEE-M-RED", "TEE-S-RED"])
            #expect(order.data["subtotal"] as? Double == 82.5)

            let after = try await call(client, .get, "/products/\(id)", token: owner).data
            let stock = (after["variants"] as? [[String: Any]] ?? []).map { ($0["inventory"] as? [String: Any])?["available"] as? Int }
            #expect(stock == [0, 0, 0], "S: 3 of 3 held, M/Red: 1 of 1 held, M/Blue had none")
            #expect((after["inventory"] as? [String: Any])?["reserved"] as? Int == 4)

            // Paying sells per variant; the product's sales are the variants' total.
            let orderID = order.data["id"] as? String ?? ""
            #expect(try await call(client, .post, "/orders/\(orderID)/pay", token: owner, "{}").status == .ok)
            let paid = try await call(client, .get, "/products/\(id)", token: owner).data
            #expect((paid["variants"] as? [[String: Any]] ?? []).map { $0["sales"] as? Int } == [3, 1, 0])
            #expect((paid["metrics"] as? [String: Any])?["sales"] as? Int == 4)
            #expect((paid["inventory"] as? [String: Any])?["stock"] as? Int == 0)
        }
    }

    @Test func variantsAreAddedChangedAndRemovedUnderTheProductsRules() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.user("buyer@example.com", role: .customer, in: shop)
        let mug = try await app.product(in: shop, sku: "MUG", name: "Mug", price: "8.00", stock: 5)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let base = "/products/\(mug.id.lowercased)/variants"
            let only = mug.variants[0].id.lowercased
            #expect(mug.variants.count == 1 && mug.variants[0].sku == "MUG" && mug.variants[0].options.isEmpty)

            // A single-variant product is edited through the product, as before variants.
            let repriced = try await call(client, .patch, "/products/\(mug.id.lowercased)", token: owner, #"{"price":9.5,"stock":7,"sku":"MUG-1"}"#)
            #expect(repriced.status == .ok, "\(repriced.body)")
            let variant = (repriced.data["variants"] as? [[String: Any]])?.first ?? [:]
            #expect(variant["price"] as? Double == 9.5 && variant["sku"] as? String == "MUG-1")
            #expect((variant["inventory"] as? [String: Any])?["stock"] as? Int == 7)

            let early = try await call(client, .post, base, token: owner, #"{"sku":"MUG-L","options":[{"name":"Size","value":"L"}]}"#)
            #expect(early.status == .unprocessableContent && early.fields == ["options"], "the only variant has no options yet")
            let named = try await call(client, .patch, "\(base)/\(only)", token: owner, #"{"options":[{"name":"Size","value":"M"}]}"#)
            #expect(named.status == .ok, "\(named.body)")
            let large = try await call(client, .post, base, token: owner, #"{"sku":"MUG-L","options":[{"name":"Size","value":"L"}],"price":11,"stock":2}"#)
            #expect(large.status == .created, "\(large.body)")
            #expect(large.data["position"] as? Int == 2 && large.data["weightGrams"] as? Int == 0)
            let largeID = large.data["id"] as? String ?? ""

            let twin = try await call(client, .post, base, token: owner, #"{"sku":"MUG-L2","options":[{"name":"Size","value":"l"}]}"#)
            #expect(twin.status == .conflict, "one variant per combination")
            let takenSKU = try await call(client, .post, base, token: owner, #"{"sku":"MUG-1","options":[{"name":"Size","value":"XL"}]}"#)
            #expect(takenSKU.status == .conflict)
            let otherOption = try await call(client, .post, base, token: owner, #"{"sku":"MUG-R","options":[{"name":"Colour","value":"Red"}]}"#)
            #expect(otherOption.status == .unprocessableContent)

            // With two variants, price and stock belong to each variant.
            let ambiguous = try await call(client, .patch, "/products/\(mug.id.lowercased)", token: owner, #"{"price":10,"stock":1}"#)
            #expect(ambiguous.status == .unprocessableContent && Set(ambiguous.fields) == ["price", "stock"])
            let noVariant = try await call(client, .post, "/products/\(mug.id.lowercased)/inventory", token: owner, #"{"delta":1,"reason":"count"}"#)
            #expect(noVariant.status == .unprocessableContent && noVariant.fields == ["variantId"])
            let counted = try await call(client, .post, "/products/\(mug.id.lowercased)/inventory", token: owner,
                                         #"{"delta":3,"reason":"count","variantId":"\#(largeID)"}"#)
            #expect((counted.data["inventory"] as? [String: Any])?["stock"] as? Int == 12)

            // A variant with units held by an unpaid order stays; so does the last one.
            let buyer = try await app.accessToken(client, "buyer@example.com")
            let order = try await call(client, .post, "/orders", token: buyer,
                                       #"{"items":[{"productId":"\#(mug.id.lowercased)","variantId":"\#(largeID)","quantity":1}]}"#)
            #expect(order.status == .created, "\(order.body)")
            #expect(try await call(client, .delete, "\(base)/\(largeID)", token: owner).status == .conflict)
            #expect(try await call(client, .post, "/orders/\(order.data["id"] as? String ?? "")/cancel", token: owner, "{}").status == .ok)
            let lowered = try await call(client, .patch, "\(base)/\(largeID)", token: owner, #"{"stock":-1}"#)
            #expect(lowered.status == .unprocessableContent && lowered.fields == ["stock"])
            #expect(try await call(client, .delete, "\(base)/\(largeID)", token: owner).status == .ok)
            #expect(try await call(client, .delete, "\(base)/\(only)", token: owner).status == .conflict, "the last variant stays")
            #expect(try await call(client, .delete, "\(base)/\(largeID)", token: owner).status == .notFound)
            let product = try await call(client, .get, "/products/\(mug.id.lowercased)", token: owner).data
            #expect((product["variants"] as? [Any])?.count == 1 && product["price"] as? Double == 9.5)
            // Its SKU is free again.
            #expect(try await call(client, .post, base, token: owner, #"{"sku":"MUG-L","options":[{"name":"Size","value":"L"}]}"#).status == .created)

            let customer = try await call(client, .post, base, token: buyer, #"{"sku":"MUG-XL","options":[{"name":"Size","value":"XL"}]}"#)
            #expect(customer.status == .forbidden)
        }
    }

    @Test func theSalesReportNamesTheVariantSold() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let buyer = try await app.accessToken(client, "buyer@example.com")
            let product = try await call(client, .post, "/products", token: owner, teeShirt).data
            let medium = (product["variants"] as? [[String: Any]])?[1]["id"] as? String ?? ""
            let order = try await call(client, .post, "/orders", token: buyer,
                                       #"{"items":[{"productId":"\#(product["id"] as? String ?? "")","variantId":"\#(medium)","quantity":1}]}"#)
            _ = try await call(client, .post, "/orders/\(order.data["id"] as? String ?? "")/pay", token: owner, "{}")
            let csv = try await client.execute(uri: "/api/v1/analytics/reports/sales.csv", method: .get, headers: .json(token: owner, tenant: "shop"))
            let text = String(buffer: csv.body)
            #expect(text.contains("TEE-M-RED") && text.contains("M / Red"), "\(text)")
        }
    }
}
