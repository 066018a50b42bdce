import Foundation
import HTTPTypes
import Hummingbird

/// Security headers on every response, errors included (it runs outside `ErrorMiddleware`):
/// nosniff, no framing, a strict referrer policy, a CSP that allows only the app's own scripts,
/// styles and API calls (no inline script), and HSTS when `HSTS=true`. API answers that set no
/// caching policy of their own get `Cache-Control: no-store`, so no browser or proxy keeps a
/// customer's orders or addresses (pictures and assets say for themselves how long they keep).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let headers: HTTPFields
    let apiPath: String

    init(hsts: Bool, apiPrefix: String = "api/v1") {
        self.apiPath = "/\(apiPrefix)/"
        var headers: HTTPFields = [
            .xContentTypeOptions: "nosniff",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "strict-origin-when-cross-origin",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
        ]
        if hsts {
            headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000; includeSubDomains"
        }
        self.headers = headers
    }

    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

    /// The storefront's: the same, plus what Stripe documents for its Payment Element (its script,
    /// its frames, its API), so card details are typed into Stripe's frame, never into our page.
    static let storefrontContentSecurityPolicy = "default-src 'self'; script-src 'self' https://js.stripe.com; style-src 'self'; "
        + "img-src 'self' data: https:; connect-src 'self' https://api.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; "
        + "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for field in headers where response.headers[field.name] == nil {
            response.headers.append(field)
        }
        if response.headers[.cacheControl] == nil, request.uri.path.hasPrefix(apiPath) {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}
