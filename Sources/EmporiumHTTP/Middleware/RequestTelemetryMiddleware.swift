import EmporiumObservability
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Writes the request line (DESIGN.md §8) and records the HTTP metrics for every request, errors
/// included. Runs just inside `CorrelationMiddleware` and `ClientAddressMiddleware`, outside
/// `ErrorMiddleware`, so it sees the status the client gets and the client's real address.
///
/// The logged `url` keeps the path and the query's names, but the values of query parameters that
/// look secret (token, password, key, …) are replaced, so a link with a token never lands on disk.
struct RequestTelemetryMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: EmporiumMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        metrics.requestStarted()
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status.code, duration: ContinuousClock.now - started)
            return response
        } catch {
            // ErrorMiddleware answers every error; whatever still escapes becomes a 500 in Hummingbird.
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: status, duration: ContinuousClock.now - started)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, duration: Duration) {
        let route = Self.routeLabel(context.endpointPath)
        metrics.requestFinished(method: request.method.rawValue, route: route, status: status, duration: duration)
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        var fields: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "url": .string(Self.loggedURL(path: request.uri.path, query: request.uri.query)),
            "route": .string(route),
            "statusCode": .stringConvertible(status),
            "duration": .stringConvertible((milliseconds * 1000).rounded() / 1000),
        ]
        if let tenant = context.trace.tenantID { fields["tenantId"] = .string(tenant) }
        if let agent = context.userAgent { fields["userAgent"] = .string(agent) }
        if let ip = context.clientIP { fields["ip"] = .string(ip) }
        context.logger.log(level: status >= 500 ? .error : .info, "HTTP Request", metadata: fields)
    }

    /// The route template Hummingbird matched; every unknown path shares one label.
    static func routeLabel(_ endpointPath: String?) -> String {
        guard let endpointPath, !ErrorMiddleware.unmatched(endpointPath) else { return "unmatched" }
        return endpointPath
    }

    static let secretParameterWords = ["token", "password", "secret", "key", "code", "signature", "auth", "session"]

    static func loggedURL(path: String, query: String?) -> String {
        guard let query, !query.isEmpty else { return path }
        let parts = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pieces[0].lowercased()
            guard pieces.count == 2, secretParameterWords.contains(where: { name.contains($0) }) else { return String(part) }
            return "\(pieces[0])=[REDACTED]"
        }
        return path + "?" + parts.joined(separator: "&")
    }
}
