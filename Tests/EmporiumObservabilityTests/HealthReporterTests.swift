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
        let report = await reporter.report()
        // Had the reporter waited for the check, it would have come back healthy after 30 s: an
        // unhealthy "no answer" report shows the timeout decided. (No wall-clock bound here: a
        // shared, loaded machine makes elapsed time meaningless in a unit test.)
        #expect(report.status == .unhealthy)
        #expect(report.services["slow"]?.error?.contains("no answer") == true)
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
