import Logging
import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let correlationID = Self("X-Correlation-ID")!
    static let tenantID = Self("X-Tenant-ID")!
}

/// Outermost middleware: gives every request a correlation id (the client's `X-Correlation-ID` when
/// it is a sane token, a new UUID otherwise) and puts it on every response, errors included.
struct CorrelationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = Self.acceptable(request.headers[.correlationID]) ?? UUID().uuidString.lowercased()
        context.correlationID = id
        context.logger[metadataKey: "correlationId"] = .string(id)
        var response = try await next(request, context)
        response.headers[.correlationID] = id
        return response
    }

    /// Client ids are echoed only when they are 1–128 URL-safe characters, so a header cannot be
    /// used to inject text into logs or other responses.
    static func acceptable(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count),
              value.utf8.allSatisfy({ byte in
                  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                      || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
              })
        else { return nil }
        return value
    }
}
