import EmporiumCore
import Foundation
import Synchronization
import Testing

/// A job that waits until the test lets it finish, and records when it started.
private final class Gate: Sendable {
    private let opened = Mutex(false)

    func open() { opened.withLock { $0 = true } }

    func wait() async {
        while !opened.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(2)) }
    }
}

private final class Log: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }

    func waitFor(_ count: Int) async {
        for _ in 0..<2_500 where all.count < count { try? await Task.sleep(for: .milliseconds(2)) }
    }
}

@Suite("Fairness between shops: the picture queue and the per-shop limit")
struct ShopFairnessTests {
    let shopA = UUID(), shopB = UUID()

    /// Shop A queues four heavy jobs; shop B's one job runs right after A's running one, not after
    /// all of A's (one first-come queue made it wait for six).
    @Test func anotherShopsJobWaitsForTheRunningJobOnlyAndABacklogIsBounded() async throws {
        let queue = FairWorkQueue(slots: 1, waitingPerOwner: 3)
        let log = Log()
        let gates = (0..<5).map { _ in Gate() }
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<4 {
            tasks.append(Task { try await queue.run(for: shopA) { log.add("A\(index)"); await gates[index].wait() } })
            await log.waitFor(1)
            try await Task.sleep(for: .milliseconds(20))
        }
        // A has one running and three waiting: a fourth waiting one is refused as busy.
        await #expect(throws: DomainError.busy("This shop already has 3 pictures waiting to be processed; try again shortly", retryAfter: 5)) {
            try await queue.run(for: shopA) {}
        }
        tasks.append(Task { try await queue.run(for: shopB) { log.add("B"); await gates[4].wait() } })
        try await Task.sleep(for: .milliseconds(50))
        for gate in gates { gate.open() }
        for task in tasks { try await task.value }
        #expect(log.all.first == "A0")
        #expect(log.all[1] == "B", "shop B went right after A's running job: \(log.all)")
        #expect(log.all.count == 5)
    }

    /// A shop served a moment ago waits behind one that has not been: uploading again and again
    /// cannot starve a shop with a backlog.
    @Test func aShopServedJustNowGoesBehindAShopThatWaited() async throws {
        let queue = FairWorkQueue(slots: 1, waitingPerOwner: 4)
        let log = Log()
        let first = Gate()
        let running = Task { try await queue.run(for: shopB) { log.add("B0"); await first.wait() } }
        await log.waitFor(1)
        let backlog = Task { try await queue.run(for: shopA) { log.add("A0") } }
        try await Task.sleep(for: .milliseconds(20))
        let again = Task { try await queue.run(for: shopB) { log.add("B1") } }
        try await Task.sleep(for: .milliseconds(20))
        first.open()
        for task in [running, backlog, again] { try await task.value }
        #expect(log.all == ["B0", "A0", "B1"])
    }

    @Test func oneShopHoldsAtMostItsShareAndOthersRunBesideIt() async throws {
        let limit = PerShopLimit("searches", concurrent: 1, waitingPerShop: 1)
        let log = Log()
        let gate = Gate()
        let holding = Task { try await limit.run(for: shopA) { log.add("A0"); await gate.wait() } }
        await log.waitFor(1)
        let waiting = Task { try await limit.run(for: shopA) { log.add("A1") } }
        try await Task.sleep(for: .milliseconds(20))
        // Shop A's third is refused; shop B runs at once beside A's running one.
        await #expect(throws: DomainError.self) { try await limit.run(for: shopA) {} }
        try await limit.run(for: shopB) { log.add("B") }
        #expect(log.all == ["A0", "B"])
        gate.open()
        try await holding.value
        try await waiting.value
        #expect(log.all == ["A0", "B", "A1"])
    }
}
