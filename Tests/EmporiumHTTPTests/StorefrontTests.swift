import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The server-rendered storefront as a browser, a crawler and a hostile caller see it.
@Suite("Storefront: pages on the server, statuses, search-engine metadata, escaping, other shops")
struct StorefrontTests {
    static let tenant = HTTPField.Name("X-Tenant-ID")!

    func get(_ client: some TestClientProtocol, _ path: String, shop: String = "shop", headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [Self.tenant: shop]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: path, method: .get, headers: headers)
    }

    @Test func homeCategoryProductAndSearchRenderWithoutJavaScript() async throws {
        let app = try TestApp.make()
        let (shop, kitchen) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot", price: "19.90", category: kitchen.id)
        try await app.product(in: shop, sku: "MUG-1", name: "Mug", price: "5", stock: 0, category: kitchen.id)
        try await app.product(in: shop, sku: "HID-1", name: "Hidden Kettle", status: .draft)
        try await app.run { client in
            let home = try await get(client, "/")
            #expect(home.status == .ok)
            #expect(home.headers[.contentType] == "text/html; charset=utf-8")
            let homeHTML = String(buffer: home.body)
            #expect(homeHTML.contains(#"<a href="/products/blue-teapot">Blue Teapot</a>"#))
            #expect(homeHTML.contains(#"<a href="/categories/kitchen">Kitchen</a>"#))
            #expect(!homeHTML.contains("Hidden Kettle"), "a draft is not in the shop")
            #expect(homeHTML.contains(#""@type":"SearchAction""#))

            let category = String(buffer: try await get(client, "/categories/kitchen").body)
            #expect(category.contains("<h1>Kitchen</h1>") && category.contains("2 products"))
            #expect(category.contains(#"<form class="filters" action="/categories/kitchen" method="get""#))
            let cheap = String(buffer: try await get(client, "/categories/kitchen?maxPrice=10&minPrice=").body)
            #expect(cheap.contains("1 product") && cheap.contains("Mug") && !cheap.contains("Blue Teapot"))
            #expect(cheap.contains(#"<meta name="robots" content="noindex">"#), "a filtered selection is not indexed")

            let product = try await get(client, "/products/blue-teapot")
            #expect(product.status == .ok)
            let html = String(buffer: product.body)
            #expect(html.contains("<title>Blue Teapot · Shop</title>"))
            #expect(html.contains(#"<p class="price large" id="price">$19.90</p>"#))
            #expect(html.contains(#"<link rel="canonical" href="http://localhost:3000/products/blue-teapot">"#))
            #expect(html.contains(#"<meta property="og:type" content="product">"#))
            #expect(html.contains(#"<li><a href="/categories/kitchen">Kitchen</a></li>"#))
            #expect(html.contains(#"data-product="\#(teapot.id.lowercased)""#))
            let search = String(buffer: try await get(client, "/search?q=teapot").body)
            #expect(search.contains("Results for “teapot”") && search.contains("Blue Teapot") && !search.contains(">Mug<"))
            let soldOut = String(buffer: try await get(client, "/products/mug").body)
            #expect(soldOut.contains("Sold out") && soldOut.contains(#"<button class="primary" type="submit" disabled>"#))
        }
    }

    @Test func aSearchWithASlipOfOneLetterStillFindsTheProducts() async throws {
        let app = try TestApp.make()
        let (shop, kitchen) = try await app.commerceShop()
        try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot", price: "19.90", category: kitchen.id)
        try await app.product(in: shop, sku: "HOOD-1", name: "Grey Hoodie", price: "39")
        try await app.product(in: shop, sku: "HOOD-2", name: "Draft Hoodie Secret", status: .draft)
        try await app.run { client in
            // The API answers nothing for the misspelt search, and says what it would have meant
            let api = try await client.execute(uri: "/api/v1/products?search=tepot", method: .get, headers: .json(tenant: "shop"))
            let data = try #require(try api.json()["data"] as? [String: Any])
            #expect((data["products"] as? [Any])?.isEmpty == true)
            #expect(data["suggestion"] as? String == "teapot")
            let exact = try #require(try await client.execute(uri: "/api/v1/products?search=teapot", method: .get, headers: .json(tenant: "shop"))
                .json()["data"] as? [String: Any])
            #expect(exact["suggestion"] == nil && (exact["products"] as? [Any])?.count == 1, "a search that finds something is not corrected")
            let nonsense = try #require(try await client.execute(uri: "/api/v1/products?search=qqqqzzzz", method: .get, headers: .json(tenant: "shop"))
                .json()["data"] as? [String: Any])
            #expect(nonsense["suggestion"] == nil)

            // The storefront shows what the correction finds, and says so
            let page = String(buffer: try await get(client, "/search?q=hoodei").body)
            #expect(page.contains("Nothing matches “hoodei”. Showing results for “<a href=\"/search?q=hoodie\">hoodie</a>”."))
            #expect(page.contains("Grey Hoodie") && !page.contains("Draft Hoodie"), "the correction shows only what the shop sells")
            #expect(page.contains("1 product"))
            let teapot = String(buffer: try await get(client, "/search?q=Tepot").body)
            #expect(teapot.contains("Blue Teapot"))
            // A correction that finds nothing under the filters is only offered
            let filtered = String(buffer: try await get(client, "/search?q=tepot&minPrice=100").body)
            #expect(filtered.contains("Did you mean <a href=\"/search?q=teapot\">teapot</a>?") && filtered.contains("0 products"))
            // A hostile search is words or nothing: no correction made of markup
            let hostile = try await get(client, "/search?q=%3Cscript%3Ehoodei%3C%2Fscript%3E")
            #expect(hostile.status == .ok && !String(buffer: hostile.body).contains("<script>"))
        }
    }

    /// Staff's own title and description for search results replace the page's, and clear again.
    @Test func staffSetASearchTitleAndDescriptionPerProductAndCategory() async throws {
        let app = try TestApp.make()
        let (shop, kitchen) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot", price: "19.90", category: kitchen.id)
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            func patch(_ path: String, _ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/\(path)", method: .patch, headers: .json(token: token, tenant: "shop"), body: ByteBuffer(string: body))
            }
            func head(_ path: String) async throws -> (title: String, description: String) {
                let html = String(buffer: try await get(client, path).body)
                let title = html.firstMatch(of: /<title>(.*?)<\/title>/).map { String($0.output.1) } ?? ""
                let description = html.firstMatch(of: /<meta name="description" content="(.*?)">/).map { String($0.output.1) } ?? ""
                return (title, description)
            }
            // Without them, the page's own words
            #expect(try await head("/products/blue-teapot").title == "Blue Teapot · Shop")
            let product = try await patch("products/\(teapot.id.lowercased)",
                                          #"{"seoTitle":"  Hand-glazed blue teapot | Shop  ","seoDescription":"Holds 1.2 l & keeps tea <hot>."}"#)
            #expect(product.status == .ok)
            let data = try #require(try product.json()["data"] as? [String: Any])
            #expect(data["seoTitle"] as? String == "Hand-glazed blue teapot | Shop")
            let page = try await head("/products/blue-teapot")
            #expect(page.title == "Hand-glazed blue teapot | Shop")
            #expect(page.description == "Holds 1.2 l &amp; keeps tea &lt;hot&gt;.", "escaped like any text")
            // Leaving them out of a PATCH keeps them; null or empty clears them
            #expect(try await patch("products/\(teapot.id.lowercased)", #"{"name":"Blue Teapot"}"#).status == .ok)
            #expect(try await head("/products/blue-teapot").title == "Hand-glazed blue teapot | Shop")
            let cleared = try await patch("products/\(teapot.id.lowercased)", #"{"seoTitle":null,"seoDescription":""}"#)
            let clearedData = try #require(try cleared.json()["data"] as? [String: Any])
            #expect(clearedData["seoTitle"] is NSNull && clearedData["seoDescription"] is NSNull)
            #expect(try await head("/products/blue-teapot").title == "Blue Teapot · Shop")

            // Too long, or more than one line: 422 naming the field, nothing changed
            let long = try await patch("products/\(teapot.id.lowercased)", #"{"seoTitle":"\#(String(repeating: "é", count: 121))"}"#)
            #expect(long.status == .unprocessableContent && String(buffer: long.body).contains("seoTitle"))
            let twoLines = try await patch("categories/\(kitchen.id.lowercased)", #"{"seoDescription":"one\ntwo"}"#)
            #expect(twoLines.status == .unprocessableContent && String(buffer: twoLines.body).contains("seoDescription"))
            let created = try await client.execute(uri: "/api/v1/products", method: .post, headers: .json(token: token, tenant: "shop"),
                                                   body: ByteBuffer(string: #"{"name":"Mug","sku":"MUG-1","price":5,"seoTitle":"\#(String(repeating: "x", count: 121))"}"#))
            #expect(created.status == .unprocessableContent)
            #expect(try await get(client, "/api/v1/products/mug").status == .notFound, "a refused product is not half-created")

            // A category's own words
            #expect(try await patch("categories/\(kitchen.id.lowercased)", #"{"seoTitle":"Kitchenware that lasts","seoDescription":"Pots, pans and teapots."}"#)
                .status == .ok)
            let category = try await head("/categories/kitchen")
            #expect(category.title == "Kitchenware that lasts" && category.description == "Pots, pans and teapots.")
            let listed = try await client.execute(uri: "/api/v1/categories", method: .get, headers: .json(tenant: "shop")).json()
            let categories = try #require((listed["data"] as? [String: Any])?["categories"] as? [[String: Any]])
            #expect(categories.first?["seoTitle"] as? String == "Kitchenware that lasts")
        }
    }

    /// The offers a search engine reads are the prices and availability the API answers.
    @Test func productJSONLDMatchesTheAPI() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot", price: "19.90", stock: 3)
        try await app.run { client in
            let html = String(buffer: try await get(client, "/products/blue-teapot").body)
            let blocks = html.matches(of: /<script type="application\/ld\+json">(.*?)<\/script>/).map { String($0.output.1) }
            let objects = try blocks.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
            let product = try #require(objects.first { $0["@type"] as? String == "Product" })
            let offer = try #require((product["offers"] as? [[String: Any]])?.first)
            let api = try await get(client, "/api/v1/products/blue-teapot").json()["data"] as? [String: Any]
            #expect(offer["price"] as? String == "19.90")
            #expect((api?["price"] as? NSNumber)?.decimalValue == Decimal(string: "19.9"))
            #expect(offer["priceCurrency"] as? String == api?["currency"] as? String)
            #expect(offer["availability"] as? String == "https://schema.org/InStock")
            #expect(objects.contains { $0["@type"] as? String == "BreadcrumbList" })
        }
    }

    @Test func unknownIs404DeletedIs410AndAChangedSlugMovesWith301() async throws {
        let app = try TestApp.make()
        let (shop, kitchen) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot")
        let gone = try await app.product(in: shop, sku: "OLD-1", name: "Old Kettle")
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            let renamed = try await client.execute(uri: "/api/v1/products/\(teapot.id.lowercased)", method: .patch, headers: .json(token: token, tenant: "shop"),
                                                   body: ByteBuffer(string: #"{"slug":"teapot-in-blue"}"#))
            #expect(renamed.status == .ok, "\(String(buffer: renamed.body))")
            _ = try await client.execute(uri: "/api/v1/products/\(gone.id.lowercased)", method: .delete, headers: .json(token: token, tenant: "shop"))
            _ = try await client.execute(uri: "/api/v1/categories/\(kitchen.id.lowercased)", method: .patch, headers: .json(token: token, tenant: "shop"),
                                         body: ByteBuffer(string: #"{"slug":"cookware"}"#))

            let moved = try await get(client, "/products/blue-teapot")
            #expect(moved.status == .movedPermanently)
            #expect(moved.headers[.location] == "/products/teapot-in-blue")
            #expect(try await get(client, "/products/teapot-in-blue").status == .ok)
            #expect(try await get(client, "/products/\(teapot.id.lowercased)").headers[.location] == "/products/teapot-in-blue", "an id moves to the slug")
            let deleted = try await get(client, "/products/old-kettle")
            #expect(deleted.status == .gone)
            #expect(deleted.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: deleted.body).contains("No longer available"))
            let unknown = try await get(client, "/products/never-was")
            #expect(unknown.status == .notFound)
            #expect(String(buffer: unknown.body).contains(#"<meta name="robots" content="noindex">"#))
            #expect(try await get(client, "/categories/kitchen?sort=price").headers[.location] == "/categories/cookware?sort=price")
            #expect(try await get(client, "/categories/nothing").status == .notFound)
            // A new product may take the old slug: then it is that product's page.
            _ = try await client.execute(uri: "/api/v1/products", method: .post, headers: .json(token: token, tenant: "shop"),
                                         body: ByteBuffer(string: #"{"name":"Old Kettle","sku":"NEW-1","price":3,"status":"active"}"#))
            #expect(try await get(client, "/products/old-kettle").status == .ok)
        }
    }

    /// Names with markup and a combining mark before `<` are text on the page and in JSON-LD.
    @Test func hostileNamesStayTextInMarkupAndStructuredData() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let name = "Tea\u{301}<script>alert(1)</script> & \"x\" </script><b>"
        try await app.product(in: shop, sku: "EVIL-1", name: name)
        let product = try #require(try await app.deps.catalog.list(in: shop, ProductQuery()).products.first)
        try await app.run { client in
            let html = String(buffer: try await get(client, "/products/\(product.slug)").body)
            #expect(!html.contains("<script>alert") && !html.contains("<b>"))
            #expect(html.contains("Tea\u{301}&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"))
            for block in html.matches(of: /<script type="application\/(?:ld\+)?json"[^>]*>(.*?)<\/script>/) {
                #expect(!block.output.1.contains("<"), "no < inside a script element")
                #expect((try? JSONSerialization.jsonObject(with: Data(block.output.1.utf8))) != nil, "each block is still valid JSON")
            }
            #expect(html.contains(#"Tea\#u{301}\u003cscript\u003ealert(1)\u003c/script\u003e \u0026"#))
            let search = String(buffer: try await get(client, "/search?q=%3Cb%3E\u{301}%22").body)
            #expect(!search.contains("<b>") && search.contains("&lt;b&gt;"))
        }
    }

    @Test func badQueriesAre400PagesAndDeepPagesAreRefused() async throws {
        let app = try TestApp.make()
        _ = try await app.commerceShop()
        try await app.run { client in
            for path in ["/search?page=9223372036854775807", "/search?q=tea&page=999", "/search?minPrice=abc", "/search?sort=evil",
                         "/search?minPrice=9&maxPrice=1", "/categories/kitchen?page=-1"] {
                let response = try await get(client, path)
                #expect(response.status == .badRequest, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
            let long = String(repeating: "tea ", count: 2_500)
            let response = try await get(client, "/search?q=\(long.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(response.status == .ok, "a 10,000-character search is cut, not refused")
            #expect(try await get(client, "/products/" + String(repeating: "a", count: 300)).status == .notFound)
        }
    }

    /// Pages are per shop: another shop never shows this shop's products, no shop is a 404 page.
    /// (The router client always sends `localhost` as the authority: `Tests/Boundary` sends real
    /// `Host` headers to the binary.)
    @Test func eachShopSeesOnlyItsOwnPagesAndNoShopIsA404Page() async throws {
        let app = try TestApp.make(["BASE_DOMAIN": "shops.test"])
        let (shop, _) = try await app.commerceShop()
        let other = try await app.shop("other")
        try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot")
        _ = try await app.deps.catalog.createProduct(in: other, ProductInput(name: "Green Kettle", sku: "K-1", price: 4, status: .active, stock: 2), by: .commandLine)
        try await app.run { client in
            let mine = try await get(client, "/")
            #expect(String(buffer: mine.body).contains("Blue Teapot") && !String(buffer: mine.body).contains("Green Kettle"))
            #expect(String(buffer: mine.body).contains(#"<link rel="canonical" href="https://shop.shops.test/">"#))
            let theirs = try await get(client, "/products/blue-teapot", shop: "other")
            #expect(theirs.status == .notFound)
            let nobody = try await get(client, "/", shop: "nobody")
            #expect(nobody.status == .notFound)
            #expect(String(buffer: nobody.body).contains("There is no shop at this address."))
            let sitemap = String(buffer: try await get(client, "/sitemaps/products-1.xml", shop: "other").body)
            #expect(sitemap.contains("https://other.shops.test/products/green-kettle") && !sitemap.contains("teapot"))
        }
    }

    @Test func sitemapRobotsAndFavicon() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot")
        try await app.product(in: shop, sku: "HID-1", name: "Hidden Kettle", status: .draft)
        try await app.run { client in
            let robots = String(buffer: try await get(client, "/robots.txt").body)
            #expect(robots.contains("Sitemap: http://localhost:3000/sitemap.xml"))
            let index = try await get(client, "/sitemap.xml")
            #expect(index.headers[.contentType] == "application/xml; charset=utf-8")
            let indexXML = String(buffer: index.body)
            #expect(indexXML.contains("<loc>http://localhost:3000/sitemaps/pages.xml</loc>"))
            #expect(indexXML.contains("<loc>http://localhost:3000/sitemaps/products-1.xml</loc>"))
            let products = String(buffer: try await get(client, "/sitemaps/products-1.xml").body)
            #expect(products.contains("<loc>http://localhost:3000/products/blue-teapot</loc><lastmod>"))
            #expect(!products.contains("hidden-kettle"))
            let pages = String(buffer: try await get(client, "/sitemaps/pages.xml").body)
            #expect(pages.contains("<loc>http://localhost:3000/categories/kitchen</loc>"))
            #expect(try await get(client, "/sitemaps/products-2.xml").status == .notFound)
            #expect(try await get(client, "/sitemaps/products-99999999999999999999.xml").status == .notFound)
            let favicon = try await get(client, "/favicon.svg")
            #expect(favicon.headers[.contentType] == "image/svg+xml" && String(buffer: favicon.body).contains(">S</text>"))
        }
    }

    @Test func pagesAreCachedWithAnETagAndAnOrderOrEditShowsAtOnce() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot", stock: 5)
        try await app.run { client in
            let first = try await get(client, "/products/blue-teapot")
            let etag = try #require(first.headers[.eTag])
            let again = try await get(client, "/products/blue-teapot", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            _ = try await app.deps.catalog.adjustInventory(in: shop, id: teapot.id.lowercased, .set(2), reason: "count", by: .commandLine)
            let changed = try await get(client, "/products/blue-teapot", headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok && String(buffer: changed.body).contains("2 in stock"))
        }
    }
}

extension StorefrontTests {
    /// The pages load only the storefront's hashed script and stylesheet; the only inline script
    /// elements are data blocks (JSON-LD, the variants), which no CSP blocks and no browser runs.
    @Test func pagesLoadHashedAssetsAndCarryNoInlineCode() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        try await app.product(in: shop, sku: "TEA-1", name: "Blue Teapot")
        try await app.run { client in
            for path in ["/", "/search", "/categories/kitchen", "/products/blue-teapot", "/products/none"] {
                let response = try await get(client, path)
                let html = String(buffer: response.body)
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(path)")
                #expect(csp.contains("script-src 'self' https://js.stripe.com;") && !csp.contains("unsafe-inline"))
                #expect(html.range(of: #"src="/assets/storefront\.[0-9a-f]{10}\.js""#, options: .regularExpression) != nil, "\(path)")
                #expect(html.range(of: #"href="/assets/app\.[0-9a-f]{10}\.css""#, options: .regularExpression) != nil)
                #expect(html.range(of: #"<script(?![^>]*\b(src=|type="application/(ld\+)?json"))"#, options: .regularExpression) == nil, "\(path)")
                #expect(!html.contains("style=") && !html.contains("<style"))
                #expect(html.range(of: #"\son[a-z]+="#, options: .regularExpression) == nil)
            }
        }
    }
}

extension StorefrontTests {
    /// The checkout offers exactly what the shop has set up: its manual instructions until Stripe
    /// has both keys, then the card, never both and never a card without a provider.
    @Test func theShopOffersOnlyThePaymentMethodsItHasSetUp() async throws {
        let app = try TestApp.make()
        _ = try await app.commerceShop()
        try await app.run { client in
            func methods() async throws -> [[String: Any]] {
                let data = try await get(client, "/api/v1/shop").json()["data"] as? [String: Any]
                return data?["paymentMethods"] as? [[String: Any]] ?? []
            }
            func put(_ key: String, _ value: String, encrypted: Bool) async throws {
                let token = try await app.accessToken(client, "owner@example.com")
                let response = try await client.execute(uri: "/api/v1/settings/\(key)", method: .put, headers: .json(token: token, tenant: "shop"),
                                                        body: ByteBuffer(string: #"{"value":"\#(value)","encrypted":\#(encrypted)}"#))
                #expect(response.status == .ok, "\(key): \(String(buffer: response.body))")
            }
            var offered = try await methods()
            #expect(offered.map { $0["id"] as? String } == ["bank_transfer"])
            #expect((offered.first?["instructions"] as? String)?.contains("bank transfer") == true)
            try await put("payments.manual.instructions", "Cash on delivery only", encrypted: false)
            offered = try await methods()
            #expect(offered.map { $0["id"] as? String } == ["manual"] && offered.first?["instructions"] as? String == "Cash on delivery only")
            try await put("payments.provider", "stripe", encrypted: false)
            #expect(try await methods().map { $0["id"] as? String } == ["manual"], "Stripe without its keys cannot take a card")
            try await put("payments.stripe.secretKey", "sk_test_0123456789", encrypted: true)
            try await put("payments.stripe.publishableKey", "pk_test_0123456789", encrypted: false)
            #expect(try await methods().map { $0["id"] as? String } == ["card"])
        }
    }
}
