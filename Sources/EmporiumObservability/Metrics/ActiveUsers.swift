import Foundation
import Synchronization

/// Who made a signed-in request recently, per shop: the `active_users_current` gauge.
///
/// Memory is bounded: entries older than the window are dropped on every count, and past
/// `capacity` users the oldest sightings are forgotten first (the gauge then under-counts rather
/// than growing without limit).
public final class ActiveUsers: Sendable {
    public static let window: TimeInterval = 15 * 60
    private let capacity: Int
    private let now: @Sendable () -> Date
    private let seen = Mutex<[String: [String: Date]]>([:])

    public init(capacity: Int = 100_000, now: @escaping @Sendable () -> Date = { Date() }) {
        self.capacity = capacity
        self.now = now
    }

    public func saw(user: String, tenant: String) {
        let time = now()
        seen.withLock { seen in
            let isNew = seen[tenant]?[user] == nil
            seen[tenant, default: [:]][user] = time
            // Counting every shop's users is only worth it when this sighting could cross the bound.
            if isNew, seen.values.reduce(0, { $0 + $1.count }) > capacity {
                Self.prune(&seen, before: time.addingTimeInterval(-Self.window))
                Self.dropOldest(&seen, keeping: capacity)
            }
        }
    }

    /// Users seen in the last `window`, per shop (shops with none are left out).
    public func counts() -> [String: Int] {
        let cutoff = now().addingTimeInterval(-Self.window)
        return seen.withLock { seen in
            Self.prune(&seen, before: cutoff)
            return seen.mapValues(\.count)
        }
    }

    private static func prune(_ seen: inout [String: [String: Date]], before cutoff: Date) {
        for (tenant, users) in seen {
            let fresh = users.filter { $0.value >= cutoff }
            seen[tenant] = fresh.isEmpty ? nil : fresh
        }
    }

    private static func dropOldest(_ seen: inout [String: [String: Date]], keeping capacity: Int) {
        let all = seen.flatMap { tenant, users in users.map { (tenant: tenant, user: $0.key, time: $0.value) } }
        guard all.count > capacity else { return }
        for entry in all.sorted(by: { $0.time < $1.time }).prefix(all.count - capacity) {
            seen[entry.tenant]?[entry.user] = nil
            if seen[entry.tenant]?.isEmpty == true { seen[entry.tenant] = nil }
        }
    }
}
