import Synchronization

/// Whether this process should receive traffic: false until the databases are migrated, and false
/// again once shutdown has begun, so a load balancer or Kubernetes drains it before it exits.
public final class Readiness: Sendable {
    private let state = Mutex((migrated: false, shuttingDown: false))

    public init() {}

    public var isReady: Bool {
        state.withLock { $0.migrated && !$0.shuttingDown }
    }

    public var isShuttingDown: Bool {
        state.withLock { $0.shuttingDown }
    }

    public func markMigrated() {
        state.withLock { $0.migrated = true }
    }

    public func markShuttingDown() {
        state.withLock { $0.shuttingDown = true }
    }
}
