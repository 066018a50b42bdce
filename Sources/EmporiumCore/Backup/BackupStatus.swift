import Foundation
import Synchronization

/// When the newest backup succeeded and the last failure, for `/metrics`
/// (`backup_last_success_timestamp_seconds`, the BackupTooOld alert) and the platform API.
public final class BackupStatus: Sendable {
    private let state = Mutex<(success: Date?, failure: Date?)>((nil, nil))

    public init(lastSuccess: Date? = nil) {
        state.withLock { $0.success = lastSuccess }
    }

    public var lastSuccess: Date? { state.withLock { $0.success } }
    public var lastFailure: Date? { state.withLock { $0.failure } }

    public func succeeded(at date: Date) {
        state.withLock { $0.success = max($0.success ?? date, date) }
    }

    public func failed(at date: Date) {
        state.withLock { $0.failure = date }
    }
}
