import Foundation
import EmporiumCore
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error thrown below it into the standard error envelope with the right status,
/// and tells a wrong method (405 with `Allow`) apart from an unknown route (404).
/// Runs after `CorrelationMiddleware`, so error bodies carry the correlation id.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteCatalog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var apiError = APIError.from(error)
            if let httpError = error as? HTTPError, httpError.status == .notFound, Self.unmatched(context.endpointPath) {
                let allowed = routes.methods(matching: request.uri.path)
                if !allowed.isEmpty {
                    apiError = .methodNotAllowed(request.method, allowed: allowed)
                }
            }
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            return apiError.response(correlationID: context.correlationID)
        }
    }

    /// Hummingbird's router marks a request no route matched with the endpoint path "NotFound".
    static func unmatched(_ endpointPath: String?) -> Bool {
        endpointPath == nil || endpointPath == "NotFound"
    }
}
