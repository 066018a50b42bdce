import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

func orderBody(_ product: Product, _ quantity: Int) -> ByteBuffer {
    ByteBuffer(string: #"{"items":[{"productId":"\#(product.id.lowercased)","quantity":\#(quantity)}]}"#)
}

@Suite("Cart and orders: totals, idempotency, ownership, lifecycle, no overselling")
struct OrderTests {
    @Test func threeUnitsAtNineteenNinetyNineTotalExactlyFiftyNineNinetySeven() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "A", price: "19.99")
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let headers = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let added = try await client.execute(uri: "/api/v1/cart/items", method: .post, headers: headers,
                                                 body: ByteBuffer(string: #"{"productId":"\#(product.id.lowercased)","quantity":3}"#))
            let cart = try #require(try added.json()["data"] as? [String: Any])
            #expect(cart["subtotal"] as? Double == 59.97)
            #expect(String(buffer: added.body).contains("\"subtotal\":59.97"))
            let order = try await client.execute(uri: "/api/v1/orders", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(order.status == .created)
            let data = try #require(try order.json()["data"] as? [String: Any])
            #expect(String(buffer: order.body).contains("\"total\":59.97"))
            #expect(data["status"] as? String == "pending")
            #expect(data["number"] as? Int == 1001)
            #expect(data["currency"] as? String == "USD")
            let line = try #require((data["items"] as? [[String: Any]])?.first)
            #expect(line["unitPrice"] as? Double == 19.99)
            #expect(line["quantity"] as? Int == 3)
            let after = try await client.execute(uri: "/api/v1/cart", method: .get, headers: headers)
            #expect(((try after.json()["data"] as? [String: Any])?["items"] as? [Any])?.isEmpty == true)
            // The captured price does not move when the catalog price does
            _ = try await app.deps.catalog.updateProduct(in: shop, id: product.id.lowercased, { var p = ProductPatch(); p.price = 25; return p }(), by: .commandLine)
            let again = try await client.execute(uri: "/api/v1/orders/\(data["id"] as! String)", method: .get, headers: headers)
            #expect(String(buffer: again.body).contains("\"total\":59.97"))
        }
    }

    /// An order drops only the cached entries showing the ordered products: their availability is
    /// right at once, and the rest of the storefront stays cached.
    @Test func anOrderRefreshesTheOrderedProductsAndLeavesOtherCachedPagesWarm() async throws {
        let app = try TestApp.make()
        let (shop, category) = try await app.commerceShop()
        let ordered = try await app.product(in: shop, sku: "A", name: "Teapot", stock: 10)
        let untouched = try await app.product(in: shop, sku: "B", name: "Kettle", stock: 10, category: category.id)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            func get(_ uri: String) async throws -> [String: Any] {
                try #require(try await client.execute(uri: uri, method: .get, headers: .json(tenant: "shop")).json()["data"] as? [String: Any])
            }
            func available(_ product: [String: Any]?) -> Int? { (product?["inventory"] as? [String: Any])?["available"] as? Int }
            func listed(_ listing: [String: Any], _ sku: String) -> [String: Any]? {
                (listing["products"] as? [[String: Any]])?.first { $0["sku"] as? String == sku }
            }
            let everything = "/api/v1/products", kettles = "/api/v1/products?category=\(category.id.lowercased)"
            #expect(available(listed(try await get(everything), "A")) == 10)
            #expect(available(listed(try await get(kettles), "B")) == 10)
            #expect(available(try await get("/api/v1/products/\(ordered.id.lowercased)")) == 10)
            #expect(available(try await get("/api/v1/products/\(untouched.id.lowercased)")) == 10)

            let headers = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let order = try await client.execute(uri: "/api/v1/orders", method: .post, headers: headers,
                                                 body: ByteBuffer(string: #"{"items":[{"productId":"\#(ordered.id.lowercased)","quantity":3}]}"#))
            #expect(order.status == .created)

            #expect(available(listed(try await get(everything), "A")) == 7)
            #expect(available(try await get("/api/v1/products/\(ordered.id.lowercased)")) == 7)
            let hits = app.deps.cache.statistics().hits
            #expect(available(listed(try await get(kettles), "B")) == 10)
            #expect(available(try await get("/api/v1/products/\(untouched.id.lowercased)")) == 10)
            #expect(app.deps.cache.statistics().hits >= hits + 2, "the pages without the ordered product stayed cached")
        }
    }

    @Test func cartRefusesBadQuantitiesAndUnavailableProducts() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let active = try await app.product(in: shop, sku: "A")
        let draft = try await app.product(in: shop, sku: "D", status: .draft)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let headers = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            for (product, quantity) in [(active, 0), (active, 1000), (active, -1), (draft, 1)] {
                let response = try await client.execute(uri: "/api/v1/cart/items", method: .post, headers: headers,
                                                        body: ByteBuffer(string: #"{"productId":"\#(product.id.lowercased)","quantity":\#(quantity)}"#))
                #expect(response.status == .unprocessableContent, "\(product.sku) × \(quantity)")
            }
            #expect(try await client.execute(uri: "/api/v1/cart", method: .get, headers: .json(tenant: "shop")).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/cart/items/\(active.id.lowercased)", method: .delete, headers: headers).status == .notFound)
        }
    }

    @Test func oneIdempotencyKeySentTwiceAndConcurrentlyGivesOneOrder() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "A", stock: 100)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            var keyed = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            keyed[HTTPField.Name("Idempotency-Key")!] = "order-attempt-1"
            let headers = keyed
            let ids = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 1...8 {
                    group.addTask {
                        let response = try await client.execute(uri: "/api/v1/orders", method: .post, headers: headers, body: orderBody(product, 2))
                        return (response.status.code, (try response.json()["data"] as? [String: Any])?["id"] as? String)
                    }
                }
                var results: [(Int, String?)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(ids.allSatisfy { $0.0 == 201 })
            #expect(Set(ids.compactMap(\.1)).count == 1)
            let replay = try await client.execute(uri: "/api/v1/orders", method: .post, headers: headers, body: orderBody(product, 2))
            #expect(replay.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let different = try await client.execute(uri: "/api/v1/orders", method: .post, headers: headers, body: orderBody(product, 5))
            #expect(different.status == .unprocessableContent)
            let count = try await app.backend.tenantStorage.read(shop) { tx in try tx.orders.count(OrderFilter()) }
            #expect(count == 1)
            let reserved = try await app.backend.tenantStorage.read(shop) { tx in try tx.catalog.product(reference: product.id.lowercased)?.reserved }
            #expect(reserved == 2)
        }
    }

    @Test func aCustomerCannotReadOrCancelAnotherCustomersOrder() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "A")
        try await app.user("alice@example.com", role: .customer, in: shop)
        try await app.user("bob@example.com", role: .customer, in: shop)
        try await app.run { client in
            let alice = HTTPFields.json(token: try await app.accessToken(client, "alice@example.com"), tenant: "shop")
            let bob = HTTPFields.json(token: try await app.accessToken(client, "bob@example.com"), tenant: "shop")
            let created = try await client.execute(uri: "/api/v1/orders", method: .post, headers: alice, body: orderBody(product, 1))
            let id = try #require((try created.json()["data"] as? [String: Any])?["id"] as? String)
            let read = try await client.execute(uri: "/api/v1/orders/\(id)", method: .get, headers: bob)
            #expect(read.status == .notFound)
            #expect(try read.errorCode() == "NOT_FOUND")
            #expect(try await client.execute(uri: "/api/v1/orders/\(id)/cancel", method: .post, headers: bob).status == .notFound)
            let bobsList = try await client.execute(uri: "/api/v1/orders", method: .get, headers: bob)
            #expect(((try bobsList.json()["data"] as? [String: Any])?["orders"] as? [Any])?.isEmpty == true)
            // Alice may not pay her own order, but may cancel it while pending
            #expect(try await client.execute(uri: "/api/v1/orders/\(id)/pay", method: .post, headers: alice).status == .forbidden)
            let cancelled = try await client.execute(uri: "/api/v1/orders/\(id)/cancel", method: .post, headers: alice)
            #expect(cancelled.status == .ok)
            #expect((try cancelled.json()["data"] as? [String: Any])?["status"] as? String == "cancelled")
        }
    }

    @Test func lifecycleMovesStockAndRefusesEveryInvalidTransition() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "A", stock: 10)
        try await app.run { client in
            let owner = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            func inventory() async throws -> (Int, Int, Int) {
                let p = try await app.backend.tenantStorage.read(shop) { tx in try tx.catalog.product(reference: product.id.lowercased)! }
                return (p.stock, p.reserved, p.sales)
            }
            func act(_ id: String, _ action: String, body: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/orders/\(id)/\(action)", method: .post,
                                         headers: body == nil ? owner : .json(token: owner[.authorization].map { String($0.dropFirst(7)) }, tenant: "shop"),
                                         body: body.map { ByteBuffer(string: $0) })
            }
            let created = try await client.execute(uri: "/api/v1/orders", method: .post, headers: owner, body: orderBody(product, 4))
            let id = try #require((try created.json()["data"] as? [String: Any])?["id"] as? String)
            #expect(try await inventory() == (10, 4, 0))
            for action in ["fulfill", "ship", "deliver", "refund"] {
                let refused = try await act(id, action)
                #expect(refused.status == .conflict, "\(action) from pending")
                #expect(try refused.errorCode() == "INVALID_TRANSITION")
                #expect(String(buffer: refused.body).contains("pending"))
            }
            #expect(try await act(id, "pay").status == .ok)
            #expect(try await inventory() == (6, 0, 4))
            #expect(try await act(id, "pay").status == .conflict)
            #expect(try await act(id, "fulfill").status == .ok)
            #expect(try await act(id, "cancel").status == .conflict)
            #expect(try await act(id, "ship").status == .ok)
            #expect(try await act(id, "deliver").status == .ok)
            let refunded = try await act(id, "refund", body: #"{"restock":true}"#)
            #expect(refunded.status == .ok)
            #expect(try await inventory() == (10, 0, 0))
            let history = ((try refunded.json()["data"] as? [String: Any])?["history"] as? [[String: Any]])?.compactMap { $0["status"] as? String }
            #expect(history == ["pending", "paid", "fulfilled", "shipped", "delivered", "refunded"])
            for action in OrderAction.allCases { #expect(try await act(id, action.rawValue).status == .conflict, "\(action) from refunded") }

            // Cancelling a pending order releases its reservation
            let second = try await client.execute(uri: "/api/v1/orders", method: .post, headers: owner, body: orderBody(product, 3))
            let secondID = try #require((try second.json()["data"] as? [String: Any])?["id"] as? String)
            #expect(try await inventory() == (10, 3, 0))
            #expect(try await act(secondID, "cancel").status == .ok)
            #expect(try await inventory() == (10, 0, 0))
            let audit = try await app.deps.audit.list(in: shop, AuditFilter(resourceType: "order"), page: Page(limit: 100), by: .commandLine)
            #expect(audit.total == 8)  // 2 created, paid, fulfilled, shipped, delivered, refunded, cancelled
        }
    }

    @Test func unpaidOrdersExpireAfterTheReservationTTLAndReleaseStock() async throws {
        let clock = TestClock()
        let app = try TestApp.make(["ORDER_RESERVATION_TTL": "30m"], clock: clock)
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "A", stock: 2)
        try await app.user("slow@example.com", role: .customer, in: shop)
        try await app.user("fast@example.com", role: .customer, in: shop)
        try await app.run { client in
            let slow = HTTPFields.json(token: try await app.accessToken(client, "slow@example.com"), tenant: "shop")
            #expect(try await client.execute(uri: "/api/v1/orders", method: .post, headers: slow, body: orderBody(product, 2)).status == .created)
            let fast = HTTPFields.json(token: try await app.accessToken(client, "fast@example.com"), tenant: "shop")
            let blocked = try await client.execute(uri: "/api/v1/orders", method: .post, headers: fast, body: orderBody(product, 1))
            #expect(blocked.status == .conflict)
            #expect(try blocked.errorCode() == "INSUFFICIENT_STOCK")
            #expect(String(buffer: blocked.body).contains("0 available"))
            clock.advance(31 * 60)
            #expect(try await app.deps.orders.expireReservations(in: shop) == 1)
            let now = try await client.execute(uri: "/api/v1/orders", method: .post, headers: fast, body: orderBody(product, 1))
            #expect(now.status == .created)
            let expired = try await app.deps.audit.list(in: shop, AuditFilter(action: "order.expired"), page: Page(), by: .commandLine)
            #expect(expired.total == 1)
        }
    }

    @Test func fiftyConcurrentBuyersOfTheLastTenUnitsGetExactlyTenOrders() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "LAST", stock: 10)
        let buyers = try await withThrowingTaskGroup(of: User.self) { group in
            for index in 1...50 { group.addTask { try await app.user("buyer\(index)@example.com", role: .customer, in: shop) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await app.run { client in
            var tokens: [String] = []
            for buyer in buyers { tokens.append(try await app.accessToken(client, buyer.email)) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for token in tokens {
                    group.addTask {
                        try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: token, tenant: "shop"),
                                                 body: orderBody(product, 1)).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 10)
            #expect(statuses.filter { $0 == 409 }.count == 40)
            let final = try await app.backend.tenantStorage.read(shop) { tx in try tx.catalog.product(reference: product.id.lowercased)! }
            #expect(final.stock == 10 && final.reserved == 10 && final.available == 0)
            let orders = try await app.backend.tenantStorage.read(shop) { tx in try tx.orders.count(OrderFilter()) }
            #expect(orders == 10)
        }
    }
}
