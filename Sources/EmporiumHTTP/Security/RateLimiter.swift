import Foundation
import Synchronization

/// Fixed-window request counters in memory, per key (client IP, shop). Memory is bounded: at
/// `capacity` keys, expired windows are dropped first, then the oldest tenth, so a flood of
/// distinct addresses cannot grow it without limit.
public final class RateLimiter: Sendable {
    public struct Decision: Sendable {
        public let allowed: Bool
        public let limit: Int
        public let remaining: Int
        /// Seconds until the window resets.
        public let resetIn: Int
    }

    private struct Window {
        var start: Date
        var count: Int
    }

    let limit: Int
    let window: TimeInterval
    let capacity: Int
    private let now: @Sendable () -> Date
    private let windows = Mutex<[String: Window]>([:])

    public init(limit: Int, window: TimeInterval, capacity: Int = 100_000, now: @escaping @Sendable () -> Date) {
        self.limit = limit
        self.window = window
        self.capacity = capacity
        self.now = now
    }

    /// Counts one request for `key` and says whether it may proceed.
    public func hit(_ key: String) -> Decision {
        let time = now()
        return windows.withLock { windows in
            if windows[key] == nil, windows.count >= capacity {
                Self.makeRoom(&windows, before: time.addingTimeInterval(-window), capacity: capacity)
            }
            var current = windows[key] ?? Window(start: time, count: 0)
            if time.timeIntervalSince(current.start) >= window {
                current = Window(start: time, count: 0)
            }
            current.count += 1
            windows[key] = current
            let resetIn = max(1, Int((current.start.addingTimeInterval(window).timeIntervalSince(time)).rounded(.up)))
            return Decision(allowed: current.count <= limit, limit: limit, remaining: max(0, limit - current.count), resetIn: resetIn)
        }
    }

    public var trackedKeys: Int { windows.withLock { $0.count } }

    private static func makeRoom(_ windows: inout [String: Window], before expiry: Date, capacity: Int) {
        windows = windows.filter { $0.value.start > expiry }
        if windows.count >= capacity {
            let oldest = windows.sorted { $0.value.start < $1.value.start }.prefix(max(1, capacity / 10)).map(\.key)
            for key in oldest { windows[key] = nil }
        }
    }
}
