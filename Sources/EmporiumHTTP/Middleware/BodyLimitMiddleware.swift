import Logging
import Foundation
import Hummingbird

/// Refuses bodies over `MAX_BODY_BYTES` with 413 before reading them when `Content-Length` says so,
/// and caps streamed bodies through the context's `maxUploadSize` when it does not.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}
