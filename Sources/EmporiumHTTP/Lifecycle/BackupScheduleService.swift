import Dispatch
import EmporiumCore
import Logging
import ServiceLifecycle

/// `BACKUP_INTERVAL`: backs up every shop that often while the server runs (first run one
/// interval after the start), then copies the folder to `BACKUP_SHIP_TO` when set. Failures are
/// logged at error level (error.log) and show in `/metrics` as an ageing
/// `backup_last_success_timestamp_seconds` (the BackupTooOld alert).
public struct BackupScheduleService: Service {
    let backups: BackupService
    let interval: Double
    let logger: Logger
    let shipping: BackupShipping?

    public init(backups: BackupService, interval: Double, logger: Logger, shipping: BackupShipping? = nil) {
        self.backups = backups
        self.interval = interval
        self.logger = logger
        self.shipping = shipping
    }

    /// Runs rsync on a thread of its own: it takes seconds to minutes, and the request handlers'
    /// threads must not wait for it.
    static func ship(_ shipping: BackupShipping) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try shipping.ship() })
            }
        }
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
                if let shipping {
                    do {
                        try await Self.ship(shipping)
                        logger.info("Backups shipped", metadata: ["to": "\(shipping.destination)"])
                    } catch {
                        logger.error("Shipping the backups failed", metadata: ["to": "\(shipping.destination)", "error": "\(error)"])
                    }
                }
            } catch {
                logger.error("Scheduled backup could not list the shops", metadata: ["error": "\(error)"])
            }
        }
    }
}
