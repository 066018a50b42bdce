import Foundation

/// When a failed message is tried again: 30 s after the first failure, doubling up to 3 h
/// between tries, 16 attempts in all, so the last one is about 22 hours after the message was
/// written. A receiver that is down for less than that gets the message; after it the message is
/// dead and waits for a person (the admin panel's resend).
public struct RetrySchedule: Sendable, Equatable {
    public var firstDelay: TimeInterval
    public var longestDelay: TimeInterval
    public var maximumAttempts: Int

    public init(firstDelay: TimeInterval = 30, longestDelay: TimeInterval = 3 * 3600, maximumAttempts: Int = 16) {
        self.firstDelay = firstDelay
        self.longestDelay = longestDelay
        self.maximumAttempts = maximumAttempts
    }

    public static let standard = RetrySchedule()

    /// The wait after the `attempts`-th failed attempt, or nil when that was the last one.
    public func delay(afterAttempt attempts: Int) -> TimeInterval? {
        guard attempts >= 1, attempts < maximumAttempts else { return nil }
        let doublings = min(attempts - 1, 30)
        return min(firstDelay * pow(2, Double(doublings)), longestDelay)
    }

    /// From the first attempt to the last, if every one fails.
    public var totalSpan: TimeInterval {
        (1..<maximumAttempts).reduce(0) { $0 + (delay(afterAttempt: $1) ?? 0) }
    }
}
