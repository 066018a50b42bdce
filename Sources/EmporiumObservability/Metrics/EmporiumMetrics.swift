import CoreMetrics
import Foundation
import Prometheus

/// The Prometheus metrics of DESIGN.md §8 and the original spec, in one registry.
///
/// Event metrics (requests, orders) are swift-prometheus counters and histograms updated as things
/// happen. Point-in-time values (open shops, cache counters, low stock, active users, process
/// figures) are read when `/metrics` is scraped and written by `ScrapeSnapshot`, so nothing polls.
/// Route labels are templates (`/api/v1/products/{id}`) and unknown paths are one `unmatched`
/// route, so the number of series stays bounded whatever clients send.
public final class EmporiumMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// `METRICS_TENANT_LABELS`: false drops `tenant_id` from business metrics (installs with many shops).
    public let tenantLabels: Bool
    private let inFlight: Prometheus.Gauge

    /// Seconds: from 1 ms (cached reads) to 10 s (the slowest thing a client should ever wait for).
    static let requestBuckets: [Duration] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        .map { Duration.microseconds(Int64($0 * 1_000_000)) }
    /// Payment methods get their own label value; anything else a client sends is `other`.
    static let knownPaymentMethods: Set<String> = ["manual", "card", "cash", "bank_transfer", "invoice", "paypal"]

    public init(tenantLabels: Bool = true, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.tenantLabels = tenantLabels
        self.inFlight = registry.makeGauge(name: "http_requests_in_flight", help: "HTTP requests being handled right now.")
    }

    /// Routes every swift-metrics user (libraries included) into this registry. Once per process.
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    public func requestStarted() { inFlight.increment() }

    public func requestFinished(method: String, route: String, status: Int, duration: Duration) {
        inFlight.decrement()
        registry.makeCounter(
            name: "http_requests_total", labels: [("method", method), ("route", route), ("status", String(status))],
            help: "HTTP requests answered, by method, route template and status code."
        ).increment()
        registry.makeDurationHistogram(
            name: "http_request_duration_seconds", labels: [("method", method), ("route", route)], buckets: Self.requestBuckets,
            help: "Time from the request's arrival to its response, by method and route template."
        ).record(duration)
    }

    /// Seconds: from 1 ms (a busy loop) to 1 s (a loop blocked outright).
    static let lagBuckets: [Duration] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
        .map { Duration.microseconds(Int64($0 * 1_000_000)) }

    /// How late a watchdog tick ran on one executor (`StallWatchdog`): the time every request on it waited.
    public func eventLoopLag(_ late: Duration, executor: String) {
        registry.makeDurationHistogram(
            name: "event_loop_lag_seconds", labels: [("executor", executor)], buckets: Self.lagBuckets,
            help: "How late a 10 ms watchdog tick ran, by executor (NIO event loop or the task executor)."
        ).record(late)
    }

    /// An order was placed (`status` is the state it was created in) and how long placing it took.
    public func orderPlaced(tenantID: String, status: String, paymentMethod: String, duration: Duration) {
        registry.makeCounter(
            name: "orders_created_total", labels: tenantLabel(tenantID) + [("status", status)],
            help: "Orders created, by shop and the status they were created in."
        ).increment()
        let method = Self.knownPaymentMethods.contains(paymentMethod) ? paymentMethod : "other"
        registry.makeDurationHistogram(
            name: "order_processing_duration_seconds", labels: tenantLabel(tenantID) + [("payment_method", method)],
            buckets: Self.requestBuckets, help: "Time spent placing an order (stock reservation and write), by shop and payment method."
        ).record(duration)
    }

    /// One delivery attempt of an outbox message: `outcome` is sent, failed (to be retried) or dead.
    public func outboxAttempt(channel: String, transport: String, outcome: String) {
        outboxCounter(channel: channel, transport: transport, outcome: outcome).increment()
    }

    /// Shows the outbox series at zero from the start, so dashboards and alert rules find them before
    /// the first message (`transport` is `none` while mail is not configured).
    public func outboxStarted(channel: String, transport: String) {
        for outcome in ["sent", "failed", "dead"] { _ = outboxCounter(channel: channel, transport: transport, outcome: outcome) }
        outboxBacklog(channel: channel, queued: 0, dead: 0)
    }

    private func outboxCounter(channel: String, transport: String, outcome: String) -> Prometheus.Counter {
        registry.makeCounter(
            name: "outbox_messages_total", labels: [("channel", channel), ("transport", transport), ("outcome", outcome)],
            help: "Outbox delivery attempts (mail, webhooks), by channel, transport and outcome: sent, failed (retried later) or dead."
        )
    }

    /// Messages waiting and messages given up on, summed over the shops the worker visited last.
    public func outboxBacklog(channel: String, queued: Int, dead: Int) {
        registry.makeGauge(name: "outbox_queued_messages", labels: [("channel", channel)],
                           help: "Outbox messages waiting to be sent, over the shops the delivery worker last visited.").set(Double(queued))
        registry.makeGauge(name: "outbox_dead_messages", labels: [("channel", channel)],
                           help: "Outbox messages given up on after every retry, over the shops the delivery worker last visited.").set(Double(dead))
    }

    /// The whole exposition: the registry's families, then the values read at scrape time.
    public func exposition(_ snapshot: ScrapeSnapshot) -> String {
        registry.emitToString() + snapshot.text(tenantLabels: tenantLabels)
    }

    func tenantLabel(_ tenantID: String) -> [(String, String)] {
        tenantLabels ? [("tenant_id", tenantID)] : []
    }
}
