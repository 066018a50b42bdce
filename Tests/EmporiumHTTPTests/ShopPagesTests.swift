import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The shop's own face: pages the owner writes in Markdown (footer, `/pages/{slug}`, sitemap),
/// a description and an accent colour in settings.
@Suite("Shop pages and face: Markdown pages in the footer, description, accent colour")
struct ShopPagesTests {
    static let tenant = HTTPField.Name("X-Tenant-ID")!

    func page(_ client: some TestClientProtocol, _ path: String, shop: String = "shop") async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: [Self.tenant: shop])
    }

    @Test func theOwnerWritesPagesThatEveryStorefrontPageLinks() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.user("manager@example.com", role: .manager, in: shop)
        try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            func put(_ slug: String, _ body: String, token: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/pages/\(slug)", method: .put, headers: .json(token: token ?? owner, tenant: "shop"),
                                         body: ByteBuffer(string: body))
            }
            // A page is created (201), then replaced (200)
            let created = try await put("shipping-and-returns", ##"{"title":"Shipping & returns","body":"# Shipping\n\nWe ship in **2 days**.\n\n<script>alert(1)</script>","position":2}"##)
            #expect(created.status == .created)
            let data = try #require(try created.json()["data"] as? [String: Any])
            #expect((data["html"] as? String)?.contains("<strong>2 days</strong>") == true)
            #expect((data["html"] as? String)?.contains("&lt;script&gt;") == true && (data["html"] as? String)?.contains("<script>") == false)
            #expect(try await put("about", #"{"title":"About us","body":"Two potters and a kiln.","position":1}"#).status == .created)
            #expect(try await put("about", #"{"title":"About us","body":"Two potters, one kiln.","position":1}"#).status == .ok)

            // Anyone reads them; the footer of every storefront page links them in their order
            let list = try await client.execute(uri: "/api/v1/pages", method: .get, headers: .json(tenant: "shop")).json()
            let pages = try #require((list["data"] as? [String: Any])?["pages"] as? [[String: Any]])
            #expect(pages.map { $0["slug"] as? String } == ["about", "shipping-and-returns"])
            for path in ["/", "/products/blue-teapot", "/search?q=tea", "/pages/about"] {
                let html = String(buffer: try await page(client, path).body)
                #expect(html.contains(#"<li><a href="/pages/about">About us</a></li>"#), "\(path)")
                #expect(html.contains(#"<li><a href="/pages/shipping-and-returns">Shipping &amp; returns</a></li>"#), "\(path)")
            }
            let about = try await page(client, "/pages/about")
            #expect(about.status == .ok)
            let aboutHTML = String(buffer: about.body)
            #expect(aboutHTML.contains("<h1>About us</h1>") && aboutHTML.contains("<p>Two potters, one kiln.</p>"))
            #expect(String(buffer: try await page(client, "/pages/shipping-and-returns").body).contains("<h2>Shipping</h2>"), "the page's title is its only h1")
            #expect(aboutHTML.contains(#"<link rel="canonical" href="http://localhost:3000/pages/about">"#))
            let shipping = String(buffer: try await page(client, "/pages/shipping-and-returns").body)
            #expect(!shipping.contains("<script>alert(1)</script>") && shipping.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let sitemap = String(buffer: try await page(client, "/sitemaps/pages.xml").body)
            #expect(sitemap.contains("<loc>http://localhost:3000/pages/about</loc>"))

            // Only who may change settings writes; bad input is 422 naming the field; unknown is 404
            let manager = try await app.accessToken(client, "manager@example.com")
            #expect(try await put("terms", #"{"title":"Terms","body":"x"}"#, token: manager).status == .forbidden)
            let badSlug = try await put("Terms%20Of", #"{"title":"Terms","body":"x"}"#)
            #expect(badSlug.status == .unprocessableContent && String(buffer: badSlug.body).contains("slug"))
            let badTitle = try await put("terms", #"{"title":"  ","body":"x","position":-1}"#)
            #expect(badTitle.status == .unprocessableContent && String(buffer: badTitle.body).contains("title")
                && String(buffer: badTitle.body).contains("position"))
            let huge = try await put("terms", #"{"title":"Terms","body":"\#(String(repeating: "a", count: 50_001))"}"#)
            #expect(huge.status == .unprocessableContent || huge.status == .contentTooLarge)
            #expect(try await page(client, "/pages/terms").status == .notFound, "nothing half-written")
            #expect(try await page(client, "/pages/%3Cscript%3E").status == .notFound)

            // At most 20 pages
            for index in 3...20 { #expect(try await put("page-\(index)", #"{"title":"Page \#(index)","body":"x"}"#).status == .created) }
            let over = try await put("one-too-many", #"{"title":"Too many","body":"x"}"#)
            #expect(over.status == .conflict)

            // Deleted: gone from the footer and 404
            let deleted = try await client.execute(uri: "/api/v1/pages/about", method: .delete, headers: .json(token: owner, tenant: "shop"))
            #expect(deleted.status == .ok)
            #expect(try await page(client, "/pages/about").status == .notFound)
            #expect(!String(buffer: try await page(client, "/").body).contains("/pages/about"))
        }
    }

    @Test func anotherShopsPagesAreNotThisShops() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        _ = try await app.shop("other")
        _ = try await app.deps.shopPages.put(in: shop, slug: "about", title: "About Shop", body: "Ours.", position: nil, by: .commandLine)
        try await app.run { client in
            let theirs = try await page(client, "/pages/about", shop: "other")
            #expect(theirs.status == .notFound)
            let theirHome = try await page(client, "/", shop: "other")
            #expect(!String(buffer: theirHome.body).contains("About Shop"))
            #expect(try await page(client, "/pages/about").status == .ok)
        }
    }

    @Test func theDescriptionAndAccentColourDressTheStorefront() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            func setting(_ key: String, _ value: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/settings/\(key)", method: .put, headers: .json(token: owner, tenant: "shop"),
                                         body: ByteBuffer(string: #"{"value":\#(value)}"#))
            }
            // Before: no theme stylesheet, the default favicon colour
            #expect(!String(buffer: try await page(client, "/").body).contains("/theme.css"))
            #expect(try await setting("shop.description", #""Hand-made <ceramics> from Porto""#).status == .ok)
            #expect(try await setting("shop.accentColor", ##""#1D6B57""##).status == .ok)
            let home = String(buffer: try await page(client, "/").body)
            #expect(home.contains(#"<p class="lede">Hand-made &lt;ceramics&gt; from Porto</p>"#))
            #expect(home.contains(#"<meta name="description" content="Hand-made &lt;ceramics&gt; from Porto">"#))
            #expect(home.contains(#"<link rel="stylesheet" href="/theme.css?v=1d6b57">"#))
            let theme = try await page(client, "/theme.css")
            #expect(theme.headers[.contentType] == "text/css; charset=utf-8")
            #expect(String(buffer: theme.body) == ":root { --accent: #1d6b57; --accent-ink: #ffffff; }\n")
            #expect(String(buffer: try await page(client, "/favicon.svg").body).contains(##"fill="#1d6b57""##))
            let shopData = try #require(try await client.execute(uri: "/api/v1/shop", method: .get, headers: .json(tenant: "shop")).json()["data"] as? [String: Any])
            #expect(shopData["accentColor"] as? String == "#1d6b57" && shopData["description"] as? String == "Hand-made <ceramics> from Porto")

            // A light accent gets dark text on it and leaves links dark
            #expect(try await setting("shop.accentColor", ##""#ff0""##).status == .ok)
            #expect(String(buffer: try await page(client, "/theme.css").body)
                == ":root { --accent: #ffff00; --accent-ink: #1a1a1a; }\na, button.link { color: #1a1a1a; }\n")

            // Anything but a colour, or a description too long, is refused and changes nothing
            for bad in [#""red; } body { display: none""#, ##""#12345""##, #""url(x)""#, "12"] {
                let refused = try await setting("shop.accentColor", bad)
                #expect(refused.status == .unprocessableContent, "\(bad)")
            }
            #expect(try await setting("shop.description", "\"\(String(repeating: "x", count: 301))\"").status == .unprocessableContent)
            #expect(String(buffer: try await page(client, "/theme.css").body).contains("#ffff00"))
            _ = shop
        }
    }
}
