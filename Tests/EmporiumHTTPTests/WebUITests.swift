import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Web UI: pages, content-hashed assets, CSP, the default shop")
struct WebUITests {
    @Test func pagesRevalidateAndReferenceOnlyHashedAssetsWithoutInlineScript() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            for (path, script) in [("/shop", "shop"), ("/shop/", "shop"), ("/admin", "admin"), ("/admin/", "admin")] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-cache")
                let csp = try #require(response.headers[.contentSecurityPolicy])
                // The storefront also allows Stripe's script and frames (its Payment Element); the admin panel nothing else.
                #expect(csp.contains(script == "shop" ? "script-src 'self' https://js.stripe.com;" : "script-src 'self';") && !csp.contains("unsafe-inline"))
                #expect(csp.contains("frame-ancestors 'none'"))
                let html = String(buffer: response.body)
                #expect(html.range(of: #"src="/assets/\#(script)\.[0-9a-f]{10}\.js""#, options: .regularExpression) != nil, "\(path)")
                #expect(html.range(of: #"href="/assets/app\.[0-9a-f]{10}\.css""#, options: .regularExpression) != nil)
                #expect(!html.contains("{{asset:"))
                // No inline script and no inline style anywhere: the CSP would block them.
                #expect(html.range(of: #"<script(?![^>]*\bsrc=)"#, options: .regularExpression) == nil)
                #expect(!html.contains("style=") && !html.contains("<style"))
                #expect(html.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil, "no inline event handlers")
            }
        }
    }

    @Test func assetsAreImmutableAndImportEachOtherByHashedName() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let html = String(buffer: try await client.execute(uri: "/admin/", method: .get).body)
            let admin = try #require(html.firstMatch(of: /\/assets\/admin\.[0-9a-f]{10}\.js/)).output
            let response = try await client.execute(uri: String(admin), method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let script = String(buffer: response.body)
            let imports = script.matches(of: /from '\.\/([a-z-]+)\.([0-9a-f]{10})\.js'/).map { String($0.output.1) }
            #expect(Set(imports) == ["api", "charts", "dom", "feedback", "admin-checkout", "admin-variants", "admin-images", "admin-security", "admin-mail", "admin-pages"])
            for match in script.matches(of: /from '\.\/([a-z-]+\.[0-9a-f]{10}\.js)'/) {
                let imported = try await client.execute(uri: "/assets/\(match.output.1)", method: .get)
                #expect(imported.status == .ok, "\(match.output.1) is served")
                #expect(!String(buffer: imported.body).contains(".innerHTML"), "\(match.output.1) builds the DOM without parsing markup")
            }
            #expect(!script.contains("innerHTML"), "pages build the DOM from data without parsing markup")
            let missing = try await client.execute(uri: "/assets/admin.0000000000.js", method: .get)
            #expect(missing.status == .notFound)
            #expect(try await client.execute(uri: "/assets/..%2Fopenapi.json", method: .get).status == .notFound)
        }
    }

    /// The router test client always sends `localhost`, which names no shop.
    @Test func theDefaultShopAnswersWhenTheHostNamesNone() async throws {
        let app = try TestApp.make(["DEFAULT_TENANT": "corner"])
        _ = try await app.shop("corner")
        _ = try await app.shop("other")
        try await app.run { client in
            let bare = try await client.execute(uri: "/api/v1/shop", method: .get)
            #expect(((try bare.json()["data"] as? [String: Any])?["subdomain"] as? String) == "corner")
            // An explicit header still wins.
            let named = try await client.execute(uri: "/api/v1/shop", method: .get, headers: [HTTPField.Name("X-Tenant-ID")!: "other"])
            #expect(((try named.json()["data"] as? [String: Any])?["subdomain"] as? String) == "other")
        }
        let without = try TestApp.make()
        try await without.run { client in
            let response = try await client.execute(uri: "/api/v1/shop", method: .get)
            #expect(response.status == .notFound)
            #expect(try response.errorCode() == "TENANT_NOT_FOUND")
        }
        #expect(throws: ConfigError.self) { try TestApp.make(["DEFAULT_TENANT": "not a shop!"]) }
    }
}
