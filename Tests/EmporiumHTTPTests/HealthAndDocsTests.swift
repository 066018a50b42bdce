import EmporiumCore
import EmporiumHTTP
import EmporiumObservability
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Health endpoints and the OpenAPI document")
struct HealthAndDocsTests {
    @Test func healthHasTheOriginalSpecShape() async throws {
        let app = try TestApp.make()
        _ = try await app.deps.tenants.create(NewTenant(name: "Epsilon", subdomain: "epsilon"))
        try await app.run { client in
            // Each check has 2 s to answer; beside the rest of `swift test` on two busy cores a
            // SELECT 1 has missed that, so a report is asked for again (at most five times).
            var response = try await client.execute(uri: "/health", method: .get)
            for _ in 1..<5 where response.status != .ok {
                response = try await client.execute(uri: "/health", method: .get)
            }
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["status"] as? String == "healthy")
            #expect(body["version"] as? String != nil)
            #expect(ISO8601DateFormatter().date(from: body["timestamp"] as? String ?? "") != nil)
            let services = try #require(body["services"] as? [String: [String: Any]])
            #expect(Set(services.keys) == ["system-database", "tenant-databases", "cache"])
            for (_, service) in services {
                #expect(service["status"] as? String == "healthy")
                #expect((service["responseTime"] as? String)?.hasSuffix("ms") == true)
                #expect(service["lastCheck"] is String)
            }
            #expect(body["database"] as? [String: String] == ["system": "connected", "tenants": "connected"])
        }
    }

    @Test func healthIs503UnhealthyWhenTheSystemDatabaseIsGone() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            // Given the system database closed under the running server
            try app.backend.system.close()
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .serviceUnavailable)
            let body = try response.json()
            #expect(body["status"] as? String == "unhealthy")
            #expect((body["database"] as? [String: String])?["system"] == "disconnected")
        }
    }

    @Test func readinessFollowsStartAndShutdown() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            #expect(try await client.execute(uri: "/health/ready", method: .get).status == .ok)
            app.deps.readiness.markShuttingDown()
            let response = try await client.execute(uri: "/health/ready", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(try response.json()["status"] as? String == "shutting-down")
            #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
        }
    }

    @Test func everyRegisteredRouteIsInTheOpenAPIDocument() async throws {
        let app = try TestApp.make()
        let (_, routes) = await buildRouter(app.deps)
        try await app.run { client in
            let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(response.status == .ok)
            let document = try response.json()
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where method != "parameters" {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            // The web UI's pages and assets are HTML/CSS/JS, and the storefront's pages and what
            // search engines read (XML, text, SVG) are not API operations either.
            let webUI = ["GET /", "GET /shop", "GET /admin", "GET /assets/{file}", "GET /search", "GET /categories/{slug}", "GET /products/{slug}",
                         "GET /robots.txt", "GET /sitemap.xml", "GET /sitemaps/{file}", "GET /favicon.svg", "GET /favicon.ico",
                         "GET /products", "GET /categories", "GET /sitemaps", "GET /pages", "GET /pages/{slug}", "GET /theme.css"]
            let registered = Set(routes.all).subtracting(webUI)
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but not served: \(documented.subtracting(registered).sorted())")
        }
    }
}
