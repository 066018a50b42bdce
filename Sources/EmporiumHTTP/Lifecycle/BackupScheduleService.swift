import EmporiumCore
import Logging
import ServiceLifecycle

/// `BACKUP_INTERVAL`: backs up every shop that often while the server runs (first run one
/// interval after the start). Failures are logged at error level (error.log) and show in
/// `/metrics` as an ageing `backup_last_success_timestamp_seconds` (the BackupTooOld alert).
public struct BackupScheduleService: Service {
    let backups: BackupService
    let interval: Double
    let logger: Logger

    public init(backups: BackupService, interval: Double, logger: Logger) {
        self.backups = backups
        self.interval = interval
        self.logger = logger
    }

    /// Sleeps `seconds`, ending early (by throwing) when the graceful shutdown begins.
    private func gracefulShutdown(orAfter seconds: Double) async throws {
        try await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .seconds(seconds))
        }
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await gracefulShutdown(orAfter: interval)
            } catch {
                return
            }
            guard !Task.isShuttingDownGracefully else { return }
            do {
                let result = try await backups.backupAll()
                logger.info("Scheduled backup finished", metadata: ["shops": "\(result.records.count)", "failed": "\(result.failures.count)"])
                for failure in result.failures {
                    logger.error("Scheduled backup failed", metadata: ["subdomain": "\(failure.subdomain)", "error": "\(failure.error)"])
                }
            } catch {
                logger.error("Scheduled backup could not list the shops", metadata: ["error": "\(error)"])
            }
        }
    }
}
