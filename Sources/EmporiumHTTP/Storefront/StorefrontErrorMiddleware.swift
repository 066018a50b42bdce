import EmporiumCore
import HTTPTypes
import Logging
import Hummingbird
import NIOCore

/// Storefront pages fail as pages: an error below becomes an HTML page with the status the API
/// would answer (404 for an unknown product or shop, 400 for a bad filter, 429 with `Retry-After`),
/// never the JSON envelope a browser would show raw. A 5xx says nothing of its cause.
struct StorefrontErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: StorefrontPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status.code >= 500 {
                context.logger.error("storefront page failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            let (heading, message) = Self.wording(apiError)
            var response = await pages.errorPage(status: apiError.status, heading: heading, message: message, shop: context.tenant)
            for field in apiError.headers where field.name != .contentType { response.headers[field.name] = field.value }
            return response
        }
    }

    static func wording(_ error: APIError) -> (heading: String, message: String) {
        switch error.status.code {
        case 404: return ("Page not found", error.code == "TENANT_NOT_FOUND" ? "There is no shop at this address." : "We could not find this page.")
        case 410: return ("No longer available", "This product is no longer sold here.")
        case 429: return ("Too many requests", error.message)
        case 400..<500: return ("This address is not valid", ([error.message] + error.details.map { "\($0.field): \($0.message)" }).joined(separator: " "))
        default: return ("Something went wrong", "The shop could not show this page. Please try again in a moment.")
        }
    }
}
