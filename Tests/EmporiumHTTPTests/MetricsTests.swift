import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Prometheus /metrics: every named metric, bounded labels, optional token")
struct MetricsTests {
    /// The sample lines (not comments) of one metric family.
    func samples(_ text: String, _ name: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
    }

    @Test func afterALittleTrafficEveryNamedMetricIsExposedWithHelpAndType() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "T", name: "Teapot", stock: 12)
        try await app.product(in: shop, sku: "K", name: "Kettle", stock: 3)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let headers = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            let order = try await client.execute(uri: "/api/v1/orders", method: .post, headers: headers, body: orderBody(teapot, 3))
            #expect(order.status == .created)
            for id in [teapot.id.lowercased, "no-such-product", UUID().uuidString] {
                _ = try await client.execute(uri: "/api/v1/products/\(id)", method: .get, headers: headers)
            }
            _ = try await client.execute(uri: "/api/v1/products", method: .get, headers: headers)
            for path in ["/random/\(UUID())", "/another/\(UUID())"] {
                #expect(try await client.execute(uri: path, method: .get).status == .notFound)
            }

            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: response.body)
            for name in ["http_requests_total", "http_request_duration_seconds", "http_requests_in_flight", "orders_created_total",
                         "order_processing_duration_seconds", "active_users_current", "product_stock_quantity",
                         "database_connections_active", "cache_hits_total", "cache_misses_total", "tenants_open",
                         "db_commits_total", "db_pages_written_total",
                         "process_resident_memory_bytes", "process_open_fds"] {
                #expect(text.contains("# HELP \(name) "), "no HELP for \(name)")
                #expect(text.contains("# TYPE \(name) "), "no TYPE for \(name)")
            }
            let tenant = shop.lowercased
            // Route labels are templates: three different ids are one series, unknown paths one more.
            let productRoutes = samples(text, "http_requests_total").filter { $0.contains(#"route="/api/v1/products/{id}""#) }
            #expect(productRoutes.count == 2, "\(productRoutes)") // 200 for the teapot, 404 for the two unknown ids
            #expect(samples(text, "http_requests_total").contains { $0.contains(#"route="unmatched""#) && $0.contains(#"status="404""#) && $0.hasSuffix(" 2") })
            #expect(!text.contains("/random/"))
            #expect(samples(text, "orders_created_total") == [#"orders_created_total{tenant_id="\#(tenant)",status="pending"} 1"#])
            #expect(samples(text, "order_processing_duration_seconds_count").contains { $0.contains(#"payment_method="manual""#) && $0.hasSuffix(" 1") })
            #expect(samples(text, "active_users_current") == [#"active_users_current{tenant_id="\#(tenant)"} 1"#])
            // Teapot: 12 in stock, 3 reserved → 9 available, under its threshold of 10; the kettle has 3.
            let stock = samples(text, "product_stock_quantity")
            #expect(stock.count == 2, "\(stock)")
            #expect(stock.contains { $0.contains(#"product_name="Kettle""#) && $0.hasSuffix(" 3") })
            #expect(stock.contains { $0.contains(#"product_name="Teapot""#) && $0.hasSuffix(" 9") })
            #expect(samples(text, "database_connections_active").contains(#"database_connections_active{database="system"} 1"#))
            #expect(samples(text, "tenants_open") == ["tenants_open 1"])
            // Process-wide (other tests' shops write too): at least this shop's writes are counted.
            let commits = samples(text, "db_commits_total").first?.split(separator: " ").last.flatMap { Double($0) } ?? 0
            let pages = samples(text, "db_pages_written_total").first?.split(separator: " ").last.flatMap { Double($0) } ?? 0
            #expect(commits >= 1 && pages >= commits, "commits \(commits), pages \(pages)")
        }
    }

    @Test func tenantLabelsCanBeDropped() async throws {
        let app = try TestApp.make(["METRICS_TENANT_LABELS": "false"])
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "T", stock: 5)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let headers = HTTPFields.json(token: try await app.accessToken(client, "buyer@example.com"), tenant: "shop")
            #expect(try await client.execute(uri: "/api/v1/orders", method: .post, headers: headers, body: orderBody(teapot, 1)).status == .created)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(!text.contains("tenant_id="))
            #expect(samples(text, "orders_created_total") == [#"orders_created_total{status="pending"} 1"#])
            #expect(samples(text, "active_users_current") == ["active_users_current 1"])
        }
    }

    @Test func withMetricsTokenOnlyTheBearerOfItReadsMetrics() async throws {
        let app = try TestApp.make(["METRICS_TOKEN": "scrape-token-123"])
        try await app.run { client in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-token-124"])
            #expect(wrong.status == .unauthorized)
            #expect(try wrong.errorCode() == "UNAUTHORIZED")
            let right = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-token-123"])
            #expect(right.status == .ok)
            #expect(String(buffer: right.body).contains("http_requests_total"))
        }
    }
}
