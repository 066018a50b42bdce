import Foundation

/// The account lockout rule: `maxAttempts` consecutive failures lock the account for `lockDuration`.
public struct LoginThrottle: Sendable, Equatable {
    public var maxAttempts: Int
    public var lockDuration: TimeInterval

    public init(maxAttempts: Int = 5, lockDuration: TimeInterval = 15 * 60) {
        self.maxAttempts = maxAttempts
        self.lockDuration = lockDuration
    }

    /// The state after one more failure: the counter grows, and reaching the limit locks the account
    /// and starts the counter over for the next window.
    public func afterFailure(attempts: Int, now: Date) -> (attempts: Int, lockedUntil: Date?) {
        let next = attempts + 1
        if next >= maxAttempts {
            return (0, now.addingTimeInterval(lockDuration))
        }
        return (next, nil)
    }
}
