import Foundation

/// At most `concurrent` jobs of one kind per shop at once, the rest waiting in a bounded line
/// (past it, `DomainError.busy`). For work whose cost a caller chooses (an uncached search over a
/// whole catalog): one shop's clients asking for it in parallel then hold at most `concurrent`
/// cores, and every other shop on the box keeps the rest.
public actor PerShopLimit {
    public let concurrent: Int
    public let waitingPerShop: Int
    private let what: String
    private var running: [UUID: Int] = [:]
    private var waiting: [UUID: [CheckedContinuation<Void, Never>]] = [:]

    public init(_ what: String, concurrent: Int, waitingPerShop: Int) {
        self.what = what
        self.concurrent = max(1, concurrent)
        self.waitingPerShop = max(0, waitingPerShop)
    }

    public func run<T: Sendable>(for shop: UUID, _ work: @Sendable () async throws -> T) async throws -> T {
        try await enter(shop)
        defer { leave(shop) }
        return try await work()
    }

    private func enter(_ shop: UUID) async throws {
        if running[shop, default: 0] < concurrent {
            running[shop, default: 0] += 1
            return
        }
        let queued = waiting[shop]?.count ?? 0
        guard queued < waitingPerShop else {
            throw DomainError.busy("This shop has \(concurrent + queued) \(what) under way; try again shortly", retryAfter: 1)
        }
        await withCheckedContinuation { continuation in waiting[shop, default: []].append(continuation) }
    }

    /// The slot passes straight to the shop's next waiting job, or is freed.
    private func leave(_ shop: UUID) {
        if var queue = waiting[shop], !queue.isEmpty {
            let next = queue.removeFirst()
            waiting[shop] = queue.isEmpty ? nil : queue
            next.resume()
            return
        }
        let count = running[shop, default: 1] - 1
        running[shop] = count > 0 ? count : nil
    }
}
