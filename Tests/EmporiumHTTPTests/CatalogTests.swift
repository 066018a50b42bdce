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
    /// A shop with an owner (token returned by `ownerToken`) and one category.
    func commerceShop() async throws -> (shop: UUID, category: Category) {
        let shop = try await shop()
        try await user("owner@example.com", role: .owner, in: shop)
        let category = try await deps.catalog.createCategory(in: shop, name: "Kitchen", slug: nil, parentID: nil, by: .commandLine)
        return (shop, category)
    }

    @discardableResult
    func product(in shop: UUID, sku: String, name: String = "Teapot", price: String = "19.99", stock: Int = 10,
                 status: ProductStatus = .active, category: UUID? = nil) async throws -> Product {
        try await deps.catalog.createProduct(in: shop, ProductInput(
            name: name, sku: sku, price: Decimal(string: price)!, status: status, categoryID: category?.lowercased,
            description: "A \(name.lowercased()) for the kitchen", stock: stock
        ), by: .commandLine)
    }
}

@Suite("Catalog: validation, listing shape, visibility, search, cache")
struct CatalogTests {
    @Test(arguments: [
        (#"{"name":"T","sku":"A1","price":-1}"#, "price"),
        (#"{"name":"T","sku":"A1","price":1.999}"#, "price"),
        (#"{"name":"T","sku":"A1","price":"abc"}"#, "price"),
        (#"{"name":"","sku":"A1","price":1}"#, "name"),
        (#"{"name":"T","sku":"A1","price":1,"stock":-5}"#, "stock"),
        (#"{"name":"T","sku":"A1","price":1,"stock":2.5}"#, "stock"),
        (#"{"name":"T","sku":"A1","price":1,"categoryId":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#, "categoryId"),
        (#"{"name":"T","sku":"has space","price":1}"#, "sku"),
        (#"{"name":"T","sku":"A1","price":1,"status":"archived"}"#, "status"),
    ])
    func invalidProductsAre422NamingTheField(_ body: String, _ field: String) async throws {
        let app = try TestApp.make()
        _ = try await app.commerceShop()
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            let response = try await client.execute(uri: "/api/v1/products", method: .post, headers: .json(token: token, tenant: "shop"),
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent, "\(String(buffer: response.body))")
            let details = (try response.json()["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
            #expect(details.contains { $0["field"] as? String == field }, "\(details)")
        }
    }

    @Test func duplicateSkuIs409AndTooLongNameIs422() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.product(in: shop, sku: "TEA-1")
        try await app.run { client in
            let headers = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            let duplicate = try await client.execute(uri: "/api/v1/products", method: .post, headers: headers,
                                                     body: ByteBuffer(string: #"{"name":"Other","sku":"TEA-1","price":5}"#))
            #expect(duplicate.status == .conflict)
            let long = String(repeating: "n", count: 201)
            let tooLong = try await client.execute(uri: "/api/v1/products", method: .post, headers: headers,
                                                   body: ByteBuffer(string: #"{"name":"\#(long)","sku":"X","price":5}"#))
            #expect(tooLong.status == .unprocessableContent)
        }
    }

    @Test func listingHasTheSpecShapeAndCustomersSeeOnlyActiveProducts() async throws {
        let app = try TestApp.make()
        let (shop, kitchen) = try await app.commerceShop()
        try await app.product(in: shop, sku: "A", name: "Teapot", price: "19.99", category: kitchen.id)
        try await app.product(in: shop, sku: "B", name: "Kettle", price: "45.00", category: kitchen.id)
        try await app.product(in: shop, sku: "C", name: "Secret prototype", price: "999.99", status: .draft)
        try await app.product(in: shop, sku: "D", name: "Old mug", price: "3.50", status: .inactive)
        try await app.run { client in
            let guest = try await client.execute(uri: "/api/v1/products?sort=price", method: .get, headers: .json(tenant: "shop"))
            #expect(guest.status == .ok)
            let data = try #require(try guest.json()["data"] as? [String: Any])
            let products = try #require(data["products"] as? [[String: Any]])
            #expect(products.compactMap { $0["sku"] as? String } == ["A", "B"])
            let first = products[0]
            #expect(first["price"] as? Double == 19.99)
            #expect((first["category"] as? [String: Any])?["name"] as? String == "Kitchen")
            #expect(first["inventory"] as? [String: Int] == ["stock": 10, "reserved": 0, "available": 10, "lowStockThreshold": 10])
            #expect((first["metrics"] as? [String: Any])?.keys.sorted() == ["conversionRate", "sales", "views"])
            for key in ["id", "name", "status", "createdAt", "updatedAt", "sku", "slug", "description", "images"] {
                #expect(first[key] != nil, "\(key)")
            }
            #expect(Set((data["pagination"] as? [String: Any])?.keys.map { $0 } ?? []) == ["page", "limit", "total", "totalPages", "hasNext", "hasPrev"])
            let filters = try #require(data["filters"] as? [String: Any])
            #expect(filters["categories"] as? [String] == ["Kitchen"])
            #expect(filters["priceRange"] as? [String: Double] == ["min": 19.99, "max": 45.0])

            // A guest asking for drafts still gets only active products; the draft page is 404
            let drafts = try await client.execute(uri: "/api/v1/products?status=draft", method: .get, headers: .json(tenant: "shop"))
            #expect(((try drafts.json()["data"] as? [String: Any])?["products"] as? [Any])?.count == 2)
            let all = try await client.execute(uri: "/api/v1/products?limit=100", method: .get,
                                               headers: .json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop"))
            #expect(((try all.json()["data"] as? [String: Any])?["products"] as? [Any])?.count == 4)
            #expect(try await client.execute(uri: "/api/v1/products?limit=101", method: .get, headers: .json(tenant: "shop")).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/products?sort=cheapest", method: .get, headers: .json(tenant: "shop")).status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/products?minPrice=1.234", method: .get, headers: .json(tenant: "shop")).status == .badRequest)
        }
    }

    @Test func draftProductPagesAreHiddenFromCustomers() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let draft = try await app.product(in: shop, sku: "SECRET", status: .draft)
        try await app.run { client in
            #expect(try await client.execute(uri: "/api/v1/products/\(draft.id.lowercased)", method: .get, headers: .json(tenant: "shop")).status == .notFound)
            let token = try await app.accessToken(client, "owner@example.com")
            #expect(try await client.execute(uri: "/api/v1/products/\(draft.slug)", method: .get, headers: .json(token: token, tenant: "shop")).status == .ok)
        }
    }

    @Test(arguments: [#"""#, "*", "NEAR(", "tea\" OR \"x", "(((", "name:secret", "AND", "-tea", "^", "tea*", "💥🔥", String(repeating: "a ", count: 500)])
    func hostileSearchStringsAnswer200(_ search: String) async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.product(in: shop, sku: "T1", name: "Teapot")
        try await app.run { client in
            let encoded = search.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let response = try await client.execute(uri: "/api/v1/products?search=\(encoded)", method: .get, headers: .json(tenant: "shop"))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
        }
    }

    @Test func searchMatchesPrefixesAcrossNameDescriptionSkuAndCategoryWithRanking() async throws {
        let app = try TestApp.make()
        let (shop, kitchen) = try await app.commerceShop()
        try await app.product(in: shop, sku: "TP-100", name: "Teapot", category: kitchen.id)
        try await app.product(in: shop, sku: "MUG-7", name: "Mug with tea stains")
        try await app.product(in: shop, sku: "SPADE", name: "Garden spade")
        try await app.run { client in
            func skus(_ search: String) async throws -> [String] {
                let response = try await client.execute(uri: "/api/v1/products?search=\(search)", method: .get, headers: .json(tenant: "shop"))
                return ((try response.json()["data"] as? [String: Any])?["products"] as? [[String: Any]])?.compactMap { $0["sku"] as? String } ?? []
            }
            #expect(try await skus("teap") == ["TP-100"])
            #expect(try await Set(skus("tea")) == ["TP-100", "MUG-7"])
            #expect(try await skus("kitch").contains("TP-100"))  // category name and description
            #expect(try await skus("spade") == ["SPADE"])
            #expect(try await skus("tp") == ["TP-100"])  // sku prefix
            // Renaming the category re-indexes its products
            _ = try await app.deps.catalog.updateCategory(in: shop, id: kitchen.id.lowercased, name: "Cookware", slug: nil, parentID: nil, by: .commandLine)
            #expect(try await skus("cookw") == ["TP-100"])
        }
    }

    /// Listings are answered from an encoded body cached with them: the cached answer must be the
    /// same bytes, a price change must show at once, and a refused currency change must change nothing.
    @Test func aCachedListingReflectsAPriceChangeImmediatelyAndARefusedCurrencyChangeLeavesIt() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "A", price: "10.00")
        try await app.run { client in
            func first() async throws -> [String: Any]? {
                let response = try await client.execute(uri: "/api/v1/products", method: .get, headers: .json(tenant: "shop"))
                return ((try response.json()["data"] as? [String: Any])?["products"] as? [[String: Any]])?.first
            }
            let cold = try await client.execute(uri: "/api/v1/products", method: .get, headers: .json(tenant: "shop"))
            let hitsBefore = app.deps.cache.statistics().hits
            let warm = try await client.execute(uri: "/api/v1/products", method: .get, headers: .json(tenant: "shop"))
            #expect(app.deps.cache.statistics().hits > hitsBefore)
            #expect(warm.status == .ok && warm.body == cold.body)
            #expect(warm.headers[.contentType] == "application/json; charset=utf-8")
            #expect(warm.headers[.contentLength] == String(warm.body.readableBytes))
            #expect(try await first()?["price"] as? Double == 10)
            // The cached body is the JSON any other answer would be: the product page (encoded the
            // usual way) shows the same product identically, dates included.
            let page = try await client.execute(uri: "/api/v1/products/\(product.id.lowercased)", method: .get, headers: .json(tenant: "shop"))
            let shown = try #require(try page.json()["data"] as? NSDictionary)
            #expect(try await first().map(NSDictionary.init(dictionary:)) == shown)
            #expect((shown["createdAt"] as? String)?.hasSuffix("Z") == true)

            let token = try await app.accessToken(client, "owner@example.com")
            let patched = try await client.execute(uri: "/api/v1/products/\(product.id.lowercased)", method: .patch,
                                                   headers: .json(token: token, tenant: "shop"), body: ByteBuffer(string: #"{"price":12.5}"#))
            #expect(patched.status == .ok)
            #expect(try await first()?["price"] as? Double == 12.5)

            // A priced shop's currency cannot change under its prices (12.50 USD is 1250 minor units,
            // which another currency would read differently): refused, and the listing stays as it was.
            let operatorToken = try await app.operatorToken(client)
            let currency = try await client.execute(uri: "/api/v1/platform/tenants/shop", method: .patch, headers: .json(token: operatorToken),
                                                    body: ByteBuffer(string: #"{"settings":{"currency":"EUR"}}"#))
            #expect(currency.status == .conflict)
            #expect(try await first()?["currency"] as? String == "USD")
            #expect(try await first()?["price"] as? Double == 12.5)
        }
    }

    @Test func inventoryAdjustmentsNeverGoBelowReservedAndAreAudited() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "A", stock: 5)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            let buyer = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let order = try await client.execute(uri: "/api/v1/orders", method: .post, headers: buyer,
                                                 body: ByteBuffer(string: #"{"items":[{"productId":"\#(product.id.lowercased)","quantity":3}]}"#))
            #expect(order.status == .created)
            let uri = "/api/v1/products/\(product.id.lowercased)/inventory"
            let below = try await client.execute(uri: uri, method: .post, headers: owner, body: ByteBuffer(string: #"{"set":2,"reason":"count"}"#))
            #expect(below.status == .unprocessableContent)
            let minus = try await client.execute(uri: uri, method: .post, headers: owner, body: ByteBuffer(string: #"{"delta":-3,"reason":"broken"}"#))
            #expect(minus.status == .unprocessableContent)
            let ok = try await client.execute(uri: uri, method: .post, headers: owner, body: ByteBuffer(string: #"{"delta":7,"reason":"delivery"}"#))
            #expect(ok.status == .ok)
            #expect(((try ok.json()["data"] as? [String: Any])?["inventory"] as? [String: Int])?["available"] == 9)
            let both = try await client.execute(uri: uri, method: .post, headers: owner, body: ByteBuffer(string: #"{"delta":1,"set":1,"reason":"x"}"#))
            #expect(both.status == .unprocessableContent)
            let audit = try await app.deps.audit.list(in: shop, AuditFilter(action: "inventory.adjusted"), page: Page(), by: .commandLine)
            #expect(audit.total == 1)
            #expect(audit.entries.first?.newValues == .object(["stock": .number(12), "reason": .string("delivery")]))
        }
    }

    @Test func viewsAreCountedInBatchesAndConversionFollows() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "A")
        // The router alone, without the background flusher (its 5 s tick could land mid-test on a
        // loaded machine and make this depend on timing).
        let (router, _) = await buildRouter(app.deps)
        defer { try? FileManager.default.removeItem(at: app.directory) }
        try await Application(router: router).test(.router) { client in
            for _ in 1...4 {
                #expect(try await client.execute(uri: "/api/v1/products/\(product.id.lowercased)", method: .get, headers: .json(tenant: "shop")).status == .ok)
            }
            // Nothing written per read; the batch lands on flush
            let before = try await app.backend.tenantStorage.read(shop) { tx in try tx.catalog.product(reference: product.id.lowercased)?.views }
            #expect(before == 0)
            await app.deps.catalog.flushViews()
            let after = try await app.backend.tenantStorage.read(shop) { tx in try tx.catalog.product(reference: product.id.lowercased)?.views }
            #expect(after == 4)
        }
    }
}
