import Foundation

/// Runs every health check concurrently, each bounded by `timeout`, and assembles the report.
/// Any failed check makes the whole report `unhealthy` (HTTP 503).
public struct HealthReporter: Sendable {
    let checks: [HealthCheck]
    let timeout: Duration
    let notices: [String: String]

    /// `notices`: features switched off by configuration (`HealthReport.notices`).
    public init(checks: [HealthCheck], timeout: Duration = .seconds(2), notices: [String: String] = [:]) {
        self.checks = checks
        self.timeout = timeout
        self.notices = notices
    }

    public func report() async -> HealthReport {
        let results = await withTaskGroup(of: (HealthCheck, HealthReport.Service).self) { group in
            for check in checks {
                group.addTask { (check, await self.run(check)) }
            }
            var results: [(HealthCheck, HealthReport.Service)] = []
            for await result in group { results.append(result) }
            return results
        }
        var services: [String: HealthReport.Service] = [:]
        var database: [String: String] = [:]
        for (check, service) in results {
            services[check.name] = service
            if let key = check.databaseKey {
                database[key] = service.status == .healthy ? "connected" : "disconnected"
            }
        }
        let healthy = services.values.allSatisfy { $0.status == .healthy }
        var report = HealthReport(
            status: healthy ? .healthy : .unhealthy, timestamp: Self.iso8601(Date()), version: BuildInfo.version,
            services: services, database: database
        )
        if !notices.isEmpty { report.notices = notices }
        return report
    }

    private func run(_ check: HealthCheck) async -> HealthReport.Service {
        let clock = ContinuousClock()
        let start = clock.now
        var failure: String?
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await check.run() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw HealthCheckTimeout()
                }
                try await group.next()
                group.cancelAll()
            }
        } catch is HealthCheckTimeout {
            failure = "no answer within \(timeout)"
        } catch {
            failure = String(describing: type(of: error))
        }
        let elapsed = clock.now - start
        let milliseconds = Int((Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15).rounded())
        return .init(
            status: failure == nil ? .healthy : .unhealthy, responseTime: "\(milliseconds)ms",
            lastCheck: Self.iso8601(Date()), error: failure
        )
    }

    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

struct HealthCheckTimeout: Error {}
