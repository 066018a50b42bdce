import EmporiumObservability
import Foundation
import Testing

struct Broken: Error {}

@Suite("Health checks decide the /health answer")
struct HealthReporterTests {
    @Test func allHealthyChecksGiveAHealthyReportWithTimings() async {
        let reporter = HealthReporter(checks: [
            HealthCheck(name: "system-database", databaseKey: "system") {},
            HealthCheck(name: "cache") {},
        ])
        let report = await reporter.report()
        #expect(report.status == .healthy)
        #expect(report.version == BuildInfo.version)
        #expect(report.database == ["system": "connected"])
        #expect(report.services["cache"]?.responseTime.hasSuffix("ms") == true)
        #expect(report.services["cache"]?.error == nil)
    }

    @Test func oneFailingCheckMakesTheWholeReportUnhealthyWithoutLeakingDetails() async {
        let reporter = HealthReporter(checks: [
            HealthCheck(name: "system-database", databaseKey: "system") { throw Broken() },
            HealthCheck(name: "cache") {},
        ])
        let report = await reporter.report()
        #expect(report.status == .unhealthy)
        #expect(report.database["system"] == "disconnected")
        #expect(report.services["system-database"]?.status == .unhealthy)
        #expect(report.services["system-database"]?.error == "Broken")
        #expect(report.services["cache"]?.status == .healthy)
    }

    @Test func aHangingCheckIsCutOffByTheTimeout() async {
        let reporter = HealthReporter(
            checks: [HealthCheck(name: "slow") { try await Task.sleep(for: .seconds(30)) }],
            timeout: .milliseconds(50)
        )
        let clock = ContinuousClock()
        let start = clock.now
        let report = await reporter.report()
        #expect(report.status == .unhealthy)
        #expect(report.services["slow"]?.error?.contains("no answer") == true)
        // Bounded by the timeout, not by the check: generous margin for a loaded machine.
        #expect(clock.now - start < .seconds(10))
    }

    @Test func readinessIsFalseBeforeMigrationAndAfterShutdownBegins() {
        let readiness = Readiness()
        #expect(!readiness.isReady)
        readiness.markMigrated()
        #expect(readiness.isReady)
        readiness.markShuttingDown()
        #expect(!readiness.isReady)
        #expect(readiness.isShuttingDown)
    }
}
