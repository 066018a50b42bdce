import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

extension TestApp {
    /// Places an order for `quantity` units as `buyer` and, unless `then` is nil, applies the
    /// staff actions in `then` (e.g. `["pay", "refund"]`). Returns the order id.
    @discardableResult
    func order(_ client: some TestClientProtocol, buyer: String, owner: String, _ product: Product, _ quantity: Int,
               then actions: [String] = ["pay"], tenant: String = "shop") async throws -> String {
        let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: buyer, tenant: tenant),
                                              body: orderBody(product, quantity))
        guard placed.status == .created, let id = (try placed.json()["data"] as? [String: Any])?["id"] as? String else {
            throw TestFailure("order failed: \(placed.status) \(String(buffer: placed.body))")
        }
        for action in actions {
            let moved = try await client.execute(uri: "/api/v1/orders/\(id)/\(action)", method: .post, headers: .json(token: owner, tenant: tenant))
            guard moved.status == .ok else { throw TestFailure("\(action) failed: \(moved.status) \(String(buffer: moved.body))") }
        }
        return id
    }

    func dashboard(_ client: some TestClientProtocol, token: String, query: String = "period=7d") async throws -> [String: Any] {
        let response = try await client.execute(uri: "/api/v1/analytics/dashboard?\(query)", method: .get, headers: .json(token: token, tenant: "shop"))
        guard response.status == .ok, let data = try response.json()["data"] as? [String: Any] else {
            throw TestFailure("dashboard: \(response.status) \(String(buffer: response.body))")
        }
        return data
    }
}

private func summary(_ data: [String: Any]) -> [String: Any] { data["summary"] as? [String: Any] ?? [:] }
private func metric(_ data: [String: Any], _ name: String) -> [String: Any] {
    (data["metrics"] as? [String: Any])?[name] as? [String: Any] ?? [:]
}

@Suite("Analytics over HTTP: dashboard figures, periods, time zone, cache, sales CSV")
struct AnalyticsTests {
    @Test func revenueCountsPaidOrdersOnlyAndRefundsSubtract() async throws {
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        let (shop, _) = try await app.commerceShop()
        let mug = try await app.product(in: shop, sku: "MUG", name: "Mug", price: "19.99", stock: 100)
        let pot = try await app.product(in: shop, sku: "POT", name: "Teapot", price: "45.00", stock: 100)
        try await app.user("ann@example.com", role: .customer, in: shop)
        try await app.user("bob@example.com", role: .customer, in: shop)
        try await app.run { client in
            let lastWeekOwner = try await app.accessToken(client, "owner@example.com")
            let lastWeekAnn = try await app.accessToken(client, "ann@example.com")
            // Last week: one paid order by Ann (previous period).
            try await app.order(client, buyer: lastWeekAnn, owner: lastWeekOwner, mug, 1)
            clock.advance(7 * 86_400)
            let owner = try await app.accessToken(client, "owner@example.com")
            let ann = try await app.accessToken(client, "ann@example.com")
            let bob = try await app.accessToken(client, "bob@example.com")
            let empty = try await app.dashboard(client, token: owner)
            #expect(summary(empty)["totalRevenue"] as? Double == 0)
            #expect(metric(empty, "revenue")["previous"] as? Double == 19.99)
            #expect(metric(empty, "revenue")["trend"] as? String == "down")

            try await app.order(client, buyer: ann, owner: owner, mug, 3, then: ["pay", "fulfill", "ship"])   // 59.97
            try await app.order(client, buyer: bob, owner: owner, pot, 2)                                       // 90.00
            try await app.order(client, buyer: bob, owner: owner, pot, 1, then: [])                             // pending
            try await app.order(client, buyer: bob, owner: owner, pot, 1, then: ["cancel"])                     // never paid
            try await app.order(client, buyer: bob, owner: owner, mug, 1, then: ["pay", "refund"])              // +19.99 −19.99
            let data = try await app.dashboard(client, token: owner)
            let totals = summary(data)
            #expect(totals["totalRevenue"] as? Double == 149.97)
            #expect(totals["totalOrders"] as? Int == 3)
            #expect(totals["totalCustomers"] as? Int == 2)
            #expect(totals["averageOrderValue"] as? Double == 56.65)   // (59.97 + 90 + 19.99) / 3 = 56.653…
            #expect(metric(data, "revenue")["growth"] as? Double == 650.2)
            #expect(metric(data, "revenue")["trend"] as? String == "up")
            #expect(metric(data, "orders")["previous"] as? Int == 1)
            let charts = try #require(data["charts"] as? [String: Any])
            let days = try #require(charts["revenueByDay"] as? [[String: Any]])
            #expect(days.count == 7)
            #expect(days.dropLast().allSatisfy { $0["revenue"] as? Double == 0 })
            #expect(days.last?["revenue"] as? Double == 149.97)
            let top = try #require(charts["topProducts"] as? [[String: Any]])
            // The refunded mug is not a standing sale: Ann's 3 mugs and Bob's 2 teapots remain.
            #expect(top.map { $0["name"] as? String } == ["Mug", "Teapot"])
            #expect(top.first?["sales"] as? Int == 3 && top.first?["revenue"] as? Double == 59.97)
            #expect(top.first?["productId"] as? String == mug.id.lowercased)
            let segments = try #require(charts["customerSegments"] as? [[String: Any]])
            #expect(segments.map { $0["segment"] as? String } == ["New", "Returning"])
            #expect(segments[0]["count"] as? Int == 1 && segments[0]["revenue"] as? Double == 90)     // Bob
            #expect(segments[1]["count"] as? Int == 1 && segments[1]["revenue"] as? Double == 59.97)  // Ann
            let body = String(buffer: try await client.execute(uri: "/api/v1/analytics/dashboard?period=7d", method: .get,
                                                               headers: .json(token: owner, tenant: "shop")).body)
            #expect(!body.contains("NaN") && !body.contains("Infinity"))
        }
    }

    @Test func aNewOrderShowsOnTheNextDashboardDespiteTheCache() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let mug = try await app.product(in: shop, sku: "MUG", price: "10.00", stock: 100)
        try await app.user("ann@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let ann = try await app.accessToken(client, "ann@example.com")
            #expect(summary(try await app.dashboard(client, token: owner))["totalOrders"] as? Int == 0)
            #expect(summary(try await app.dashboard(client, token: owner))["totalOrders"] as? Int == 0)
            let hits = app.deps.cache.statistics().hits
            let id = try await app.order(client, buyer: ann, owner: owner, mug, 2)
            #expect(summary(try await app.dashboard(client, token: owner))["totalRevenue"] as? Double == 20)
            _ = try await client.execute(uri: "/api/v1/orders/\(id)/refund", method: .post, headers: .json(token: owner, tenant: "shop"))
            #expect(summary(try await app.dashboard(client, token: owner))["totalRevenue"] as? Double == 0)
            #expect(hits >= 1) // the second identical request was served from the cache
        }
    }

    @Test func daysAreTheShopsLocalDays() async throws {
        let clock = TestClock()
        // 2030-01-15 10:30 UTC is 23:30 the same day in Auckland (UTC+13 in summer).
        clock.advance(ISO8601DateFormatter().date(from: "2030-01-15T10:30:00Z")!.timeIntervalSince(clock.now))
        let app = try TestApp.make(clock: clock)
        let (shop, _) = try await app.commerceShop()
        let mug = try await app.product(in: shop, sku: "MUG", price: "10.00", stock: 100)
        try await app.user("ann@example.com", role: .customer, in: shop)
        await #expect(throws: DomainError.self) {
            try await app.deps.tenants.update("shop", with: TenantPatch(settings: ["timezone": .string("Mars/Olympus")]))
        }
        _ = try await app.deps.tenants.update("shop", with: TenantPatch(settings: ["timezone": .string("Pacific/Auckland")]))
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let ann = try await app.accessToken(client, "ann@example.com")
            try await app.order(client, buyer: ann, owner: owner, mug, 1)
            clock.advance(3600) // 00:30 on the 16th in Auckland, still the 15th in UTC
            let owner2 = try await app.accessToken(client, "owner@example.com")
            try await app.order(client, buyer: try await app.accessToken(client, "ann@example.com"), owner: owner2, mug, 2)
            let data = try await app.dashboard(client, token: owner2, query: "from=2030-01-15&to=2030-01-16")
            let days = try #require((data["charts"] as? [String: Any])?["revenueByDay"] as? [[String: Any]])
            #expect(days.map { $0["date"] as? String } == ["2030-01-15", "2030-01-16"])
            #expect(days.map { $0["revenue"] as? Double } == [10, 20])
            #expect((data["period"] as? [String: Any])?["timeZone"] as? String == "Pacific/Auckland")
        }
    }

    @Test func onlyStaffWithAnalyticsReadOfThisShopMayLook() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let other = try await app.shop("other")
        try await app.user("owner@other.example", role: .owner, in: other)
        try await app.user("ann@example.com", role: .customer, in: shop)
        try await app.user("sam@example.com", role: .staff, in: shop)
        try await app.run { client in
            let foreign = try await app.accessToken(client, "owner@other.example", in: "other")
            for path in ["/api/v1/analytics/dashboard", "/api/v1/analytics/reports/sales.csv"] {
                #expect(try await client.execute(uri: path, method: .get, headers: .json(tenant: "shop")).status == .unauthorized)
                let customer = try await app.accessToken(client, "ann@example.com")
                #expect(try await client.execute(uri: path, method: .get, headers: .json(token: customer, tenant: "shop")).status == .forbidden)
                #expect(try await client.execute(uri: path, method: .get, headers: .json(token: foreign, tenant: "shop")).status == .forbidden)
            }
            let owner = try await app.accessToken(client, "owner@example.com")
            for query in ["period=1y", "from=2026-01-01", "from=2026-02-01&to=2026-01-01", "from=2020-01-01&to=2026-01-01", "from=x&to=y"] {
                let response = try await client.execute(uri: "/api/v1/analytics/dashboard?\(query)", method: .get, headers: .json(token: owner, tenant: "shop"))
                #expect(response.status == .badRequest, "\(query)")
                #expect(try response.errorCode() == "VALIDATION_FAILED")
            }
        }
    }

    @Test func salesReportIsOneQuotedRowPerOrderLineOfPaidOrders() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let odd = try await app.product(in: shop, sku: "ODD", name: "=cmd|' /C calc'!A0, \"quoted\"", price: "5.00", stock: 100)
        let mug = try await app.product(in: shop, sku: "MUG", name: "Mug", price: "19.99", stock: 100)
        try await app.user("ann@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let ann = try await app.accessToken(client, "ann@example.com")
            let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: ann, tenant: "shop"), body: ByteBuffer(
                string: #"{"items":[{"productId":"\#(mug.id.lowercased)","quantity":2},{"productId":"\#(odd.id.lowercased)","quantity":1}]}"#))
            let id = try #require((try placed.json()["data"] as? [String: Any])?["id"] as? String)
            _ = try await client.execute(uri: "/api/v1/orders/\(id)/pay", method: .post, headers: .json(token: owner, tenant: "shop"))
            try await app.order(client, buyer: ann, owner: owner, mug, 1, then: [])  // pending: not a sale
            let response = try await client.execute(uri: "/api/v1/analytics/reports/sales.csv", method: .get, headers: .json(token: owner, tenant: "shop"))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(response.headers[.contentDisposition]?.contains("attachment; filename=\"sales-shop-") == true)
            let rows = String(buffer: response.body).components(separatedBy: "\r\n")
            #expect(rows.count == 4 && rows.last == "")
            #expect(rows[0] == SalesCSV.header.joined(separator: ","))
            #expect(rows[1].contains(",MUG,Mug,2,19.99,39.98,USD"))
            #expect(rows[1].contains(",paid,") && rows[1].contains("ann@example.com"))
            #expect(rows[2].contains(#",ODD,"'=cmd|' /C calc'!A0, ""quoted""",1,5.00,5.00,USD"#))
        }
    }

    @Test func aTenThousandLineReportStreamsInBoundedChunks() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let mug = try await app.product(in: shop, sku: "MUG", name: "Mug", price: "1.00", stock: 10)
        let start = Date().addingTimeInterval(-7200)
        // 100 paid orders of 100 lines each, written straight into the shop's file; the last ten
        // share one payment time, so resuming inside a run of equal times is covered. (The
        // 100,000-line memory measurement is a benchmark: docs/performance.md.)
        try await app.backend.registry.withDatabase(shop) { database in
            try await database.write { db in
                for number in 1...100 {
                    let id = UUID().uuidString.lowercased()
                    let paid = start.addingTimeInterval(Double(min(number, 90)))
                    try db.execute(sql: """
                        INSERT INTO orders (id, number, status, payment_method, currency, subtotal_minor, total_minor, created_at, updated_at)
                        VALUES (?, ?, 'paid', 'card', 'USD', 10000, 10000, ?, ?)
                        """, arguments: [id, number, paid, paid])
                    try db.execute(sql: "INSERT INTO order_status_history (order_id, seq, status, at) VALUES (?, 1, 'paid', ?)", arguments: [id, paid])
                    for line in 1...100 {
                        try db.execute(sql: """
                            INSERT INTO order_items (order_id, line, product_id, sku, name, quantity, unit_price_minor, line_total_minor)
                            VALUES (?, ?, ?, 'MUG', 'Mug', 1, 100, 100)
                            """, arguments: [id, line, mug.id.lowercased])
                    }
                }
            }
        }
        var chunks = 0, lines = 0, largest = 0
        let range = try app.deps.analytics.salesReport(in: try await app.deps.tenants.find("shop"), from: nil, to: nil, by: .commandLine)
        for try await chunk in app.deps.analytics.salesLines(in: shop, range) {
            chunks += 1
            lines += chunk.count
            largest = max(largest, chunk.count)
        }
        #expect(lines == 10_000)
        #expect(largest == AnalyticsService.reportChunk)
        #expect(chunks == 10_000 / AnalyticsService.reportChunk)
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let response = try await client.execute(uri: "/api/v1/analytics/reports/sales.csv", method: .get, headers: .json(token: owner, tenant: "shop"))
            #expect(response.status == .ok)
            #expect(response.body.readableBytesView.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } == 10_001)
        }
    }
}
