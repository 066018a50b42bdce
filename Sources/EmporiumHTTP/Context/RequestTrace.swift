import Synchronization

/// What inner middleware learn about a request that the outer `RequestTelemetryMiddleware` reports.
///
/// Request contexts are values: a middleware's changes reach only the middleware inside it. This one
/// shared reference carries the shop back out, so the request line names it.
public final class RequestTrace: Sendable {
    private let tenant = Mutex<String?>(nil)

    public var tenantID: String? {
        get { tenant.withLock { $0 } }
        set { tenant.withLock { $0 = newValue } }
    }
}
