import Foundation
import Synchronization

/// Holds back one shop's writes while its file is copied to another node (moving a shop online,
/// docs/fleet.md): a frozen shop keeps answering reads and refuses writes until the freeze is lifted
/// or runs out. It also counts each shop's writes in progress, so `freeze` returns only once none is
/// still running: every write acknowledged before the freeze is in a copy taken after it.
///
/// The freeze lives in this process only and always has an end: a move whose operator vanishes
/// leaves the shop writable again, never frozen for good. The move checks that its freeze still
/// holds before it switches the shop's route.
public final class ShopWriteFreeze: Sendable {
    /// The longest freeze one call may ask for; a longer move renews it.
    public static let maximumSeconds = 3_600

    public enum Admission: Equatable, Sendable {
        case admitted
        case frozen(until: Date)
    }

    struct State {
        var frozenUntil: Date?
        var writesInProgress = 0
    }

    private let states = Mutex<[UUID: State]>([:])
    private let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    /// Called before a write runs. An admitted write must be followed by `finishWrite`.
    public func admitWrite(_ tenant: UUID) -> Admission {
        let now = now()
        return states.withLock { states in
            if let until = states[tenant]?.frozenUntil, until > now { return .frozen(until: until) }
            states[tenant, default: State()].frozenUntil = nil
            states[tenant, default: State()].writesInProgress += 1
            return .admitted
        }
    }

    public func finishWrite(_ tenant: UUID) {
        states.withLock { states in
            guard var state = states[tenant] else { return }
            state.writesInProgress = max(0, state.writesInProgress - 1)
            states[tenant] = state.writesInProgress == 0 && state.frozenUntil == nil ? nil : state
        }
    }

    /// Refuses the shop's new writes for `seconds` (1…`maximumSeconds`) and waits until the writes
    /// already running have finished. If they have not within `drainTimeout`, lifts the freeze again
    /// and throws: a copy taken then could miss an acknowledged write.
    @discardableResult
    public func freeze(_ tenant: UUID, seconds: Int, drainTimeout: Duration = .seconds(30)) async throws -> Date {
        guard (1...Self.maximumSeconds).contains(seconds) else {
            throw DomainError.invalid("seconds", "must be between 1 and \(Self.maximumSeconds)")
        }
        let until = now().addingTimeInterval(TimeInterval(seconds))
        states.withLock { $0[tenant, default: State()].frozenUntil = until }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: drainTimeout)
        while writesInProgress(tenant) > 0 {
            guard clock.now < deadline else {
                thaw(tenant)
                throw DomainError.unavailable("Writes to this shop are still running after \(drainTimeout); the freeze was lifted, try again")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return until
    }

    /// Lets the shop's writes through again (at once, whatever time the freeze had left).
    public func thaw(_ tenant: UUID) {
        states.withLock { states in
            guard var state = states[tenant] else { return }
            state.frozenUntil = nil
            states[tenant] = state.writesInProgress == 0 ? nil : state
        }
    }

    /// When the shop's freeze ends, or nil when its writes go through.
    public func frozenUntil(_ tenant: UUID) -> Date? {
        let now = now()
        return states.withLock { states in
            guard let until = states[tenant]?.frozenUntil, until > now else { return nil }
            return until
        }
    }

    func writesInProgress(_ tenant: UUID) -> Int {
        states.withLock { $0[tenant]?.writesInProgress ?? 0 }
    }
}
