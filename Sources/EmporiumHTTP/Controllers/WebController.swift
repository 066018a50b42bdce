import EmporiumCore
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the admin panel (`/admin/`) and the single-page shop (`/shop/`: cart, checkout, sign-in,
/// orders), and the hashed assets of both and of the server-rendered storefront (`StorefrontController`).
/// The pages are the same for every shop: the scripts ask the API which shop the host (or `DEFAULT_TENANT`) names.
/// Pages are revalidated on every visit; hashed assets are immutable for a year.
struct WebController<Context: RequestContext> {
    let assets: WebAssets

    func addRoutes(to router: Router<Context>) {
        // The router treats `/admin` and `/admin/` alike; the pages use absolute URLs only, so
        // both work without a redirect.
        router.get("shop") { _, _ in page("shop") }
        router.get("admin") { _, _ in page("admin") }
        router.get("assets/{file}") { _, context in
            let name = try context.parameters.require("file")
            guard let file = assets.files[name] else { throw DomainError.notFound("No asset '\(name)'") }
            return Response(status: .ok, headers: [
                .contentType: file.contentType, .cacheControl: "public, max-age=31536000, immutable",
            ], body: ResponseBody(byteBuffer: file.body))
        }
    }

    func page(_ name: String) -> Response {
        let file = assets.pages[name]!
        var headers: HTTPFields = [.contentType: file.contentType, .cacheControl: "no-cache"]
        if name == "shop" { headers[.contentSecurityPolicy] = SecurityHeadersMiddleware.storefrontContentSecurityPolicy }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: file.body))
    }
}
