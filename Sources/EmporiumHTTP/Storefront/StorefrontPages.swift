import Crypto
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Renders the storefront's pages on the server: what a search engine, a chat's link preview and a
/// shopper with JavaScript off all read. Each page is rendered once and kept in the shop's cache
/// beside the listings it shows, dropped by the same invalidation (a catalog write, an order of a
/// product on it), and answered with an `ETag` so a revisit costs a 304.
struct StorefrontPages: Sendable {
    /// Products per listing page.
    static let pageSize = 24

    let templates: StorefrontTemplates
    let catalog: CatalogService
    let shopPages: ShopPageService
    let cache: MemoryCache
    let apiPrefix: String
    let baseDomain: String?
    let publicURL: String
    /// The hashed asset addresses (`/assets/app.3f2a91c0d4.css`).
    let stylesheet: String
    let script: String

    /// The shop's public address: its custom domain, its subdomain of `BASE_DOMAIN`, or `PUBLIC_URL`.
    func baseURL(_ tenant: Tenant) -> String {
        MailService.baseURL(of: tenant, baseDomain: baseDomain, publicURL: publicURL)
    }

    /// What goes into `<head>` besides the assets.
    struct Head {
        var title: String
        var description: String
        var canonical: String
        var type = "website"
        var image: String?
        var noindex = false
    }

    /// A page as kept in the cache: its body and the entity tag of that body.
    struct Rendered: Sendable {
        let body: ByteBuffer
        let etag: String
        let tags: Set<String>

        init(html: String, tags: Set<String> = []) {
            body = ByteBuffer(string: html)
            etag = "\"" + Hex.string(SHA256.hash(data: Data(html.utf8)).prefix(10)) + "\""
            self.tags = tags
        }
    }

    // MARK: Documents

    /// A whole page around `body`: the head, the header, and the footer with the shop's own pages.
    /// The shop's pages and face come from the cache; when they cannot be read (an error page of
    /// a shop whose file is failing) the page is drawn without them.
    func document(_ tenant: Tenant?, head: Head, body: String, searchText: String = "", structuredData: [JSONValue] = []) async -> String {
        var headModel: [String: Any] = ["title": head.title, "description": head.description, "canonical": head.canonical, "type": head.type,
                                        "noindex": head.noindex]
        if let image = head.image { headModel["image"] = image }
        var model: [String: Any] = [
            "head": headModel, "shop": ["name": tenant?.name ?? "Shop"], "assets": ["css": stylesheet, "script": script],
            "body": body, "searchText": searchText, "structuredData": structuredData.map { ["json": StructuredData.json($0)] },
        ]
        if let tenant {
            let footerPages = (try? await shopPages.pages(in: tenant.id)) ?? []
            model["footerPages"] = footerPages.map { ["title": $0.title, "url": "/pages/\($0.slug)"] }
            model["hasFooterPages"] = !footerPages.isEmpty
            if let accent = (try? await shopPages.face(in: tenant.id))?.accentColor {
                model["theme"] = "/theme.css?v=" + accent.dropFirst()
            }
        }
        return templates.render("layout", model)
    }

    /// The cached page under `key`, rendered by `render` on a miss, answered 200 or 304.
    func page(_ request: Request, tenant: Tenant, key: String, render: @escaping @Sendable () async throws -> Rendered) async throws -> Response {
        let rendered = try await cache.fetch(Rendered.self, tenant: tenant.id, key: "page:" + key, cost: { 128 + $0.body.readableBytes },
                                             tags: { $0.tags }, load: render)
        return Self.respond(rendered, to: request, contentType: "text/html; charset=utf-8", html: true)
    }

    static func respond(_ rendered: Rendered, to request: Request, contentType: String, html: Bool) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .cacheControl: "no-cache", .eTag: rendered.etag]
        if html { headers[.contentSecurityPolicy] = SecurityHeadersMiddleware.storefrontContentSecurityPolicy }
        if let asked = request.headers[.ifNoneMatch], asked.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == rendered.etag }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(rendered.body.readableBytes)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: rendered.body))
    }

    func errorPage(status: HTTPResponse.Status, heading: String, message: String, shop: Tenant?) async -> Response {
        let body = templates.render("error", ["heading": heading, "message": message])
        let canonical = shop.map(baseURL) ?? publicURL
        let html = await document(shop, head: Head(title: heading + (shop.map { " · \($0.name)" } ?? ""), description: message, canonical: canonical + "/",
                                             noindex: true), body: body)
        return Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: SecurityHeadersMiddleware.storefrontContentSecurityPolicy,
        ], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    // MARK: Pieces of pages

    func media(_ tenant: Tenant) -> MediaLinks { MediaLinks(apiPrefix: apiPrefix, tenant: tenant) }

    /// "$20.00", or "From $20.00" when the variants differ in price.
    static func price(_ product: Product, currency: String) -> String {
        let prices = Set(product.variants.map(\.priceMinor))
        let text = PriceText.display(product.priceMinor, currency: currency)
        return prices.count > 1 ? "From \(text)" : text
    }

    static func stockText(_ available: Int) -> String {
        available > 0 ? "\(available) in stock" : "Sold out"
    }

    func card(_ product: Product, tenant: Tenant) -> [String: Any] {
        var card: [String: Any] = [
            "name": product.name, "url": "/products/\(product.slug)", "price": Self.price(product, currency: tenant.currency),
            "stockText": Self.stockText(product.available), "initial": String(product.name.first ?? "?"),
        ]
        if let image = product.media.first {
            let links = media(tenant)
            let width = image.widths.first(where: { $0 >= 480 }) ?? image.widths.last ?? 480
            card["image"] = ["src": links.url(image, width: width), "srcset": image.widths.map { "\(links.url(image, width: $0)) \($0)w" }.joined(separator: ", ")]
        } else if let url = product.images.first {
            card["image"] = ["src": url]
        }
        return card
    }

    /// An absolute address for a picture path (`/api/v1/media/…` or a given URL).
    func absolute(_ url: String, tenant: Tenant) -> String {
        url.hasPrefix("/") ? baseURL(tenant) + url : url
    }

    /// Every picture of a product at its largest size, absolute: for Open Graph and JSON-LD.
    func pictureURLs(_ product: Product, tenant: Tenant) -> [String] {
        let links = media(tenant)
        let uploaded = product.media.compactMap { image in image.widths.last.map { links.url(image, width: $0) } }
        return (uploaded + product.images).map { absolute($0, tenant: tenant) }
    }

    /// A description for `<meta name="description">`: the text on one line, at most 160 characters.
    static func summary(_ text: String, fallback: String) -> String {
        let line = MailRenderer.oneLine(text)
        guard !line.isEmpty else { return fallback }
        guard line.count > 160 else { return line }
        return String(line.prefix(157)) + "…"
    }

    /// Breadcrumbs for a template: the page itself (empty `url`) has no link. (Mustache takes an
    /// empty string for true: an absent key is what makes a section false.)
    static func crumbs(_ crumbs: [(name: String, url: String)]) -> [[String: Any]] {
        crumbs.map { $0.url.isEmpty ? ["name": $0.name] : ["name": $0.name, "url": $0.url] }
    }

    /// `key=value&…` with each value percent-encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#?/")
        return pairs.filter { !$0.1.isEmpty }
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }
}
