import Foundation

/// The account lockout rule (docs/security.md, "Lockout"): `maxAttempts` consecutive failures lock
/// the account's *password sign-in* for `lockDuration`. The lock never touches sessions already
/// issued, and the right password from an address the account has signed in from before
/// (`knownAddressLifetime`) still passes, so a stranger cannot shut the owner out.
public struct LoginThrottle: Sendable, Equatable {
    public var maxAttempts: Int
    public var lockDuration: TimeInterval
    /// How long a successful sign-in keeps its address "known" (30 days).
    public var knownAddressLifetime: TimeInterval = 30 * 86_400
    /// Known addresses kept per account; older ones are forgotten first.
    public static let knownAddressesKept = 10

    public init(maxAttempts: Int = 5, lockDuration: TimeInterval = 15 * 60) {
        self.maxAttempts = maxAttempts
        self.lockDuration = lockDuration
    }

    /// The state after one more failure: the counter grows, and reaching the limit locks the account
    /// and starts the counter over for the next window.
    public func afterFailure(attempts: Int, now: Date) -> (attempts: Int, lockedUntil: Date?) {
        let next = attempts >= maxAttempts - 1 ? maxAttempts : attempts + 1
        if next >= maxAttempts {
            return (0, now.addingTimeInterval(lockDuration))
        }
        return (next, nil)
    }

    /// The address form remembered and compared: the client address as the middleware decided it,
    /// or nil when there is none to remember (in-process callers).
    public static func rememberedAddress(_ ip: String?) -> String? {
        guard let ip, (1...64).contains(ip.utf8.count) else { return nil }
        return ip
    }
}
