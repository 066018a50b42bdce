import Foundation
import EmporiumCore
import EmporiumObservability
import ServiceLifecycle

/// Keeps storage open while the server runs and closes it (WAL checkpoint, every file closed) on
/// graceful shutdown. Added before the HTTP server, so service-lifecycle stops it only after the
/// server has drained its in-flight requests.
struct StorageShutdownService: Service {
    let backend: any StorageBackend

    func run() async throws {
        try? await gracefulShutdown()
        await backend.shutdown()
    }
}

/// Flips `/health/ready` to false the moment shutdown begins. Run it after the application in the
/// outer service group, so it is told first and readiness drops before the server stops accepting.
/// It also tells systemd `STOPPING=1` (`Type=notify`).
public struct ReadinessShutdownService: Service {
    let readiness: Readiness
    let notifier: SystemdNotifier

    public init(readiness: Readiness, notifier: SystemdNotifier = SystemdNotifier()) {
        self.readiness = readiness
        self.notifier = notifier
    }

    public func run() async throws {
        try? await gracefulShutdown()
        readiness.markShuttingDown()
        notifier.stopping()
    }
}
