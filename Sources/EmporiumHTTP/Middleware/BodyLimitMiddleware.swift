import Logging
import Foundation
import Hummingbird

/// Refuses bodies over `MAX_BODY_BYTES` with 413 before reading them when `Content-Length` says so,
/// and caps streamed bodies through the context's `maxUploadSize` when it does not. A product
/// image upload (`POST …/products/{id}/images`) is allowed up to `IMAGE_MAX_BYTES`; a shop's file
/// uploaded by an operator (`POST …/platform/tenants/import`) is capped by its handler instead, by
/// the data folder's free space.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limit: Int
    let imageLimit: Int
    /// The API prefix's path components, e.g. ["api", "v1"].
    let apiPrefix: [Substring]

    init(limit: Int, imageLimit: Int, apiPrefix: String) {
        self.limit = limit
        self.imageLimit = imageLimit
        self.apiPrefix = apiPrefix.split(separator: "/")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if isShopImport(request) { return try await next(request, context) }
        let limit = isImageUpload(request) ? imageLimit : limit
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }

    func isShopImport(_ request: Request) -> Bool {
        request.method == .post && request.uri.path.split(separator: "/").elementsEqual(apiPrefix + ["platform", "tenants", "import"])
    }

    func isImageUpload(_ request: Request) -> Bool {
        guard request.method == .post else { return false }
        let parts = request.uri.path.split(separator: "/")
        return parts.count == apiPrefix.count + 3 && parts.starts(with: apiPrefix)
            && parts[apiPrefix.count] == "products" && parts[apiPrefix.count + 2] == "images"
    }
}
