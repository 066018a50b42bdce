import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// The storefront at real addresses, rendered on the server for the shop the host names: home,
/// `/categories/{slug}`, `/products/{slug}`, `/search?q=`, and what search engines read
/// (`/robots.txt`, `/sitemap.xml`, `/favicon.svg`). Browsing, filters and paging are plain links
/// and GET forms, so they work with JavaScript off. An unknown product is 404, a deleted one 410,
/// an old slug 301 to the current one.
struct StorefrontController {
    let pages: StorefrontPages

    var catalog: CatalogService { pages.catalog }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/", use: home)
            .get("search", use: search)
            .get("categories/{slug}", use: category)
            .get("products/{slug}", use: product)
            .get("pages/{slug}", use: shopPage)
            .get("theme.css", use: theme)
            .get("robots.txt", use: robots)
            .get("sitemap.xml", use: sitemapIndex)
            .get("sitemaps/{file}", use: sitemapFile)
            .get("favicon.svg", use: favicon)
            .get("favicon.ico") { _, _ in Self.moved(to: "/favicon.svg") }
            // The folders themselves (and a link cut after its slash) lead to what they hold.
            .get("products") { _, _ in Self.moved(to: "/search") }
            .get("categories") { _, _ in Self.moved(to: "/search") }
            .get("pages") { _, _ in Self.moved(to: "/") }
            .get("sitemaps") { _, _ in Self.moved(to: "/sitemap.xml") }
    }

    static func tenant(_ context: AppRequestContext) throws -> Tenant {
        guard let tenant = context.tenant else { throw DomainError.tenantNotFound }
        return tenant
    }

    static func moved(to location: String) -> Response {
        Response(status: .movedPermanently, headers: [.location: location, .cacheControl: "public, max-age=3600"])
    }

    // MARK: Listings

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let pages = self.pages, catalog = self.catalog
        return try await pages.page(request, tenant: tenant, key: "/") {
            let listing = try await catalog.list(in: tenant.id, ProductQuery(page: Page(page: 1, limit: 12), sort: .createdAtDescending))
            let categories = try await catalog.categories(in: tenant.id)
            let face = try await pages.shopPages.face(in: tenant.id)
            let base = pages.baseURL(tenant)
            var shop: [String: Any] = ["name": tenant.name]
            if let description = face.description { shop["description"] = description }
            let body = pages.templates.render("home", [
                "shop": shop,
                "hasCategories": !categories.isEmpty, "categories": categories.map { ["name": $0.name, "url": "/categories/\($0.slug)"] },
                "hasProducts": !listing.products.isEmpty, "products": listing.products.map { pages.card($0, tenant: tenant) },
                "more": listing.total > listing.products.count, "total": String(listing.total),
            ])
            let head = StorefrontPages.Head(title: tenant.name, description: face.description ?? "Shop \(tenant.name) online: \(listing.total) products.",
                                            canonical: base + "/", image: listing.products.lazy.flatMap { pages.pictureURLs($0, tenant: tenant) }.first)
            let html = await pages.document(tenant, head: head, body: body, structuredData: [StructuredData.website(name: tenant.name, baseURL: base)])
            return StorefrontPages.Rendered(html: html, tags: CatalogService.tags(listing))
        }
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let parameters = request.uri.queryParameters
        let text = String(String.UnicodeScalarView((parameters["q"].map(String.init) ?? "").unicodeScalars.prefix(200)))
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let query = try Self.listingQuery(parameters, search: text, exponent: tenant.currencyExponent)
        return try await listing(request, tenant: tenant, path: "/search", query: query, category: nil, searchText: text)
    }

    @Sendable func category(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let slug = try context.parameters.require("slug")
        switch try await catalog.storefrontCategory(in: tenant.id, slug: slug) {
        case .moved(let current):
            let query = request.uri.query.map { "?" + $0 } ?? ""
            return Self.moved(to: "/categories/\(current)" + query)
        case .gone:
            throw DomainError.gone("This category is no longer in the shop")
        case .found(let category):
            var query = try Self.listingQuery(request.uri.queryParameters, search: "", exponent: tenant.currencyExponent)
            query.category = category.id.lowercased
            return try await listing(request, tenant: tenant, path: "/categories/\(category.slug)", query: query, category: category, searchText: "")
        }
    }

    /// A category's or a search's page of products, with its filters as a GET form.
    func listing(_ request: Request, tenant: Tenant, path: String, query: ProductQuery, category: Category?, searchText: String) async throws -> Response {
        let pages = self.pages, catalog = self.catalog
        let filters = Self.filterValues(request.uri.queryParameters)
        // A search's results or a filtered selection are not pages of their own for an index.
        let filtering = filters.contains { $0.0 != "sort" }
        /// This listing's address at `page`, its filters kept: the links of the pager, and the cache key.
        @Sendable func link(page: Int) -> String {
            let rest = StorefrontPages.query([("q", searchText)] + filters + [("page", page > 1 ? String(page) : "")])
            return path + (rest.isEmpty ? "" : "?" + rest)
        }
        return try await pages.page(request, tenant: tenant, key: link(page: query.page.page)) {
            var listing = try await catalog.list(in: tenant.id, query)
            // A search that found nothing shows what its correction finds, and says so.
            let suggestion = listing.suggestion
            var showingCorrection = false
            if listing.total == 0, let suggestion, let match = SearchText.matchExpression(suggestion) {
                var corrected = query
                corrected.match = match
                let alternative = try await catalog.list(in: tenant.id, corrected)
                if alternative.total > 0 {
                    listing = alternative
                    showingCorrection = true
                }
            }
            let categories = try await catalog.categories(in: tenant.id)
            let base = pages.baseURL(tenant)
            let title = category?.name ?? (searchText.isEmpty ? "All products" : "Results for “\(searchText)”")
            let pageCount = max(1, (min(listing.total, query.match == nil ? Int.max : ProductQuery.maximumSearchDepth) + query.page.limit - 1) / query.page.limit)
            var crumbs: [(name: String, url: String)] = [(tenant.name, "/")]
            crumbs.append((title, ""))
            // Without a search the listing's own order is newest first.
            let sortLabels: [(String, String)] = [("", searchText.isEmpty ? "Newest first" : "Best match"), ("price", "Price: low to high"),
                                                  ("-price", "Price: high to low"), ("name", "Name"), ("popularity", "Popular")]
                + (searchText.isEmpty ? [] : [("-createdAt", "Newest")])
            let chosenSort = filters.first { $0.0 == "sort" }?.1 ?? ""
            var model: [String: Any] = [
                "title": title, "action": path, "searchText": searchText, "hasSearch": !searchText.isEmpty, "currentCategory": category != nil,
                "filtering": filtering,
                "hasBreadcrumbs": category != nil,
                "breadcrumbs": StorefrontPages.crumbs(crumbs),
                "categories": categories.map { ["name": $0.name, "url": "/categories/\($0.slug)", "current": $0.id == category?.id] },
                "filters": Dictionary(filters, uniquingKeysWith: { first, _ in first }),
                "sorts": sortLabels.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == chosenSort] },
                "totalText": listing.total == 1 ? "1 product" : "\(listing.total) products",
                "hasProducts": !listing.products.isEmpty, "products": listing.products.map { pages.card($0, tenant: tenant) },
            ]
            if let suggestion {
                model["suggestion"] = ["text": suggestion, "url": "/search?" + StorefrontPages.query([("q", suggestion)]), "searched": searchText,
                                       "showing": showingCorrection]
            }
            if pageCount > 1 {
                let page = query.page.page
                var pager: [String: Any] = ["page": String(page), "pages": String(pageCount)]
                if page > 1 { pager["previous"] = link(page: page - 1) }
                if page < pageCount { pager["next"] = link(page: page + 1) }
                model["pager"] = pager
            }
            let body = pages.templates.render("listing", model)
            let canonicalQuery = StorefrontPages.query([("q", searchText), ("page", query.page.page > 1 ? String(query.page.page) : "")])
            let canonical = base + path + (canonicalQuery.isEmpty ? "" : "?" + canonicalQuery)
            let head = StorefrontPages.Head(
                // Staff's own words for search results come first (`seoTitle`, `seoDescription`).
                title: category?.seo.title ?? "\(title) · \(tenant.name)",
                description: category?.seo.description
                    ?? category.map { "\($0.name) at \(tenant.name): \(listing.total) products." } ?? "\(title) at \(tenant.name).",
                canonical: canonical, image: listing.products.lazy.flatMap { pages.pictureURLs($0, tenant: tenant) }.first,
                noindex: !searchText.isEmpty || filtering
            )
            var data: [JSONValue] = []
            if category != nil {
                data.append(StructuredData.breadcrumbs([(tenant.name, base + "/"), (title, base + path)]))
            }
            let html = await pages.document(tenant, head: head, body: body, searchText: searchText, structuredData: data)
            return StorefrontPages.Rendered(html: html, tags: CatalogService.tags(listing))
        }
    }

    /// The filter fields a listing keeps in its links, empty ones dropped (an empty GET form field
    /// is "no filter", not a bad value).
    static func filterValues(_ parameters: FlatDictionary<Substring, Substring>) -> [(String, String)] {
        ["minPrice", "maxPrice", "sort"].compactMap { name in
            guard let value = parameters[Substring(name)], !value.isEmpty else { return nil }
            return (name, String(value.prefix(40)))
        }
    }

    /// The listing's `ProductQuery`, validated by the API's own rules (400 page on a bad value).
    static func listingQuery(_ parameters: FlatDictionary<Substring, Substring>, search: String, exponent: Int) throws -> ProductQuery {
        var pairs: [(key: Substring, value: Substring)] = [("limit", Substring(String(StorefrontPages.pageSize)))]
        for (name, value) in filterValues(parameters) { pairs.append((Substring(name), Substring(value))) }
        if let page = parameters["page"], !page.isEmpty { pairs.append(("page", page)) }
        if !search.isEmpty { pairs.append(("search", Substring(search))) }
        return try CatalogController.productQuery(FlatDictionary(pairs), staff: false, exponent: exponent)
    }

    // MARK: Product

    @Sendable func product(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let slug = try context.parameters.require("slug")
        let product: Product
        switch try await catalog.storefrontProduct(in: tenant.id, slug: slug) {
        case .moved(let current): return Self.moved(to: "/products/\(current)")
        case .gone: throw DomainError.gone("This product is no longer sold here")
        case .found(let found): product = found
        }
        catalog.countView(in: tenant.id, product: product.id)
        let pages = self.pages, catalog = self.catalog
        return try await pages.page(request, tenant: tenant, key: "/products/\(product.slug)") {
            let html = await pages.productDocument(product, tenant: tenant, categories: try await catalog.categories(in: tenant.id))
            return StorefrontPages.Rendered(html: html, tags: [CacheTag.product(product.id)])
        }
    }

    // MARK: For search engines

    @Sendable func robots(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let text = """
            User-agent: *
            Disallow: /admin
            Disallow: /shop
            Disallow: /search?
            Disallow: /\(pages.apiPrefix)/
            Allow: /\(pages.apiPrefix)/media/

            Sitemap: \(pages.baseURL(tenant))/sitemap.xml

            """
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "public, max-age=3600"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func sitemapIndex(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let files = try await catalog.sitemapFileCount(in: tenant.id)
        let xml = SitemapXML.index(baseURL: pages.baseURL(tenant), productFiles: files)
        return StorefrontPages.respond(StorefrontPages.Rendered(html: xml), to: request, contentType: "application/xml; charset=utf-8", html: false)
    }

    @Sendable func sitemapFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let file = try context.parameters.require("file")
        let base = pages.baseURL(tenant)
        let entries: [(url: String, lastModified: Date?)]
        if file == "pages.xml" {
            let categories = try await catalog.categories(in: tenant.id)
            let shopPages = try await pages.shopPages.pages(in: tenant.id)
            entries = [(base + "/", nil)] + categories.map { (base + "/categories/\($0.slug)", $0.updatedAt) }
                + shopPages.map { (base + "/pages/\($0.slug)", $0.updatedAt) }
        } else if let match = file.wholeMatch(of: /products-([1-9][0-9]{0,5})\.xml/), let number = Int(match.1) {
            entries = try await catalog.sitemapProducts(in: tenant.id, file: number).map { (base + "/products/\($0.slug)", $0.updatedAt) }
        } else {
            throw DomainError.notFound("No sitemap '\(file.prefix(40))'")
        }
        let xml = SitemapXML.urls(entries)
        return StorefrontPages.respond(StorefrontPages.Rendered(html: xml), to: request, contentType: "application/xml; charset=utf-8", html: false)
    }

    /// The shop's initial on its accent colour (the storefront's blue until one is set).
    @Sendable func favicon(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let initial = HTMLText.escape(String(tenant.name.first.map { String($0).uppercased() } ?? "S"))
        let accent = try await pages.shopPages.face(in: tenant.id).accentColor ?? "#1f5fbf"
        let svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="\(accent)"/>\
            <text x="32" y="44" font-family="system-ui, sans-serif" font-size="36" font-weight="700" fill="\(ShopFace.ink(on: accent))" \
            text-anchor="middle">\(initial)</text></svg>

            """
        return Response(status: .ok, headers: [.contentType: "image/svg+xml", .cacheControl: "public, max-age=3600",
                                               .contentSecurityPolicy: "default-src 'none'"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: svg)))
    }

    // MARK: The shop's own pages and face

    /// `/pages/{slug}`: a page the shop wrote (about, shipping and returns…), its Markdown drawn safe.
    @Sendable func shopPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        let slug = try context.parameters.require("slug")
        let pages = self.pages
        let page = try await pages.shopPages.page(in: tenant.id, slug: String(slug.prefix(60)))
        return try await pages.page(request, tenant: tenant, key: "/pages/\(page.slug)") {
            let body = pages.templates.render("page", ["shop": ["name": tenant.name], "title": page.title, "html": SafeMarkdown.html(page.body)])
            let text = page.body.split(whereSeparator: \.isNewline).first { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let head = StorefrontPages.Head(title: "\(page.title) · \(tenant.name)",
                                            description: StorefrontPages.summary(text.map(String.init) ?? "", fallback: "\(page.title) at \(tenant.name)."),
                                            canonical: pages.baseURL(tenant) + "/pages/\(page.slug)")
            return StorefrontPages.Rendered(html: await pages.document(tenant, head: head, body: body))
        }
    }

    /// `/theme.css`: the shop's accent colour over the storefront's stylesheet, with text on it in
    /// black or white, whichever reads; a colour too light for text on white leaves links dark.
    @Sendable func theme(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try Self.tenant(context)
        var css = ""
        if let accent = try await pages.shopPages.face(in: tenant.id).accentColor {
            css = ":root { --accent: \(accent); --accent-ink: \(ShopFace.ink(on: accent)); }\n"
            if ShopFace.contrast(accent, "#ffffff") < 4.5 { css += "a, button.link { color: #1a1a1a; }\n" }
        }
        return StorefrontPages.respond(StorefrontPages.Rendered(html: css), to: request, contentType: "text/css; charset=utf-8", html: false)
    }
}
