import Foundation

/// Runs the heavy jobs of many shops (picture decoding) a few at a time, taking shops in turn
/// rather than jobs in arrival order, with a bounded queue per shop.
///
/// One process serves every shop: with one first-come queue, a shop that sends six heavy pictures
/// made another shop's 1 KB upload wait for all six. Here, when a slot frees, the waiting shop
/// served least recently goes next: a shop with a backlog runs one job per turn, and a shop that
/// has not been served while that backlog ran goes before it, so its job waits at most for the
/// ones already running; one that uploads again right after its turn waits for the others' next.
/// A shop with `waitingPerOwner` jobs already waiting is refused (`DomainError.busy`) instead of
/// growing the queue.
public actor FairWorkQueue {
    public let slots: Int
    public let waitingPerOwner: Int
    /// Told to a refused caller: about one heavy job.
    public let retryAfterSeconds: Int

    private var running = 0
    private var waiting: [UUID: [CheckedContinuation<Void, Never>]] = [:]
    /// When each shop's last job started (a sequence number, not a clock).
    private var lastServed: [UUID: UInt64] = [:]
    private var started: UInt64 = 0
    /// Shops remembered in `lastServed` before those with nothing waiting are forgotten.
    static let remembered = 4_096

    public init(slots: Int = 1, waitingPerOwner: Int = 4, retryAfterSeconds: Int = 5) {
        self.slots = max(1, slots)
        self.waitingPerOwner = max(0, waitingPerOwner)
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Runs `work` when `owner`'s turn comes (at once when a slot is free and nobody waits).
    public func run<T: Sendable>(for owner: UUID, _ work: @Sendable () async throws -> T) async throws -> T {
        try await enter(owner)
        defer { leave() }
        return try await work()
    }

    private func enter(_ owner: UUID) async throws {
        if running < slots && waiting.isEmpty {
            running += 1
            served(owner)
            return
        }
        let queued = waiting[owner]?.count ?? 0
        guard queued < waitingPerOwner else {
            throw DomainError.busy("This shop already has \(queued) pictures waiting to be processed; try again shortly",
                                   retryAfter: retryAfterSeconds)
        }
        await withCheckedContinuation { continuation in
            waiting[owner, default: []].append(continuation)
        }
    }

    /// Frees the slot and hands it to the waiting shop served least recently.
    private func leave() {
        guard let owner = waiting.keys.min(by: { lastServed[$0, default: 0] < lastServed[$1, default: 0] }),
              var queue = waiting[owner] else {
            running -= 1
            return
        }
        let next = queue.removeFirst()
        waiting[owner] = queue.isEmpty ? nil : queue
        served(owner)
        // The slot passes straight to the woken job: `running` stays the same.
        next.resume()
    }

    private func served(_ owner: UUID) {
        started += 1
        lastServed[owner] = started
        if lastServed.count > Self.remembered {
            lastServed = lastServed.filter { waiting[$0.key] != nil || $0.value == started }
        }
    }
}
