import EmporiumCore
import Foundation
import Synchronization
import Testing

/// Counts loads across tasks.
final class LoadCounter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

@Suite("Cache fetch: one load per key at a time, never a stale store")
struct CacheFetchTests {
    @Test func concurrentMissesForOneKeyShareASingleLoad() async throws {
        let cache = MemoryCache()
        let tenant = UUID()
        let loads = LoadCounter()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await cache.fetch(Int.self, tenant: tenant, key: "listing", cost: { _ in 8 }) {
                        loads.increment()
                        try await Task.sleep(for: .milliseconds(50))
                        return 42
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 42, count: 50))
        #expect(loads.value == 1)
        #expect(cache.value(Int.self, tenant: tenant, key: "listing") == 42)
    }

    @Test func aLoadThatStartedBeforeAnInvalidationDoesNotStoreItsStaleResult() async throws {
        let cache = MemoryCache()
        let tenant = UUID()
        let started = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let slow = Task {
            try await cache.fetch(String.self, tenant: tenant, key: "listing", cost: { _ in 8 }) {
                started.continuation.yield()
                for await _ in release.stream { break }
                return "old price"
            }
        }
        for await _ in started.stream { break }
        // A write lands while the slow read is still running …
        cache.invalidate(tenant: tenant)
        // … so a caller after the write does not join the old load, and sees the new data.
        let fresh = try await cache.fetch(String.self, tenant: tenant, key: "listing", cost: { _ in 8 }) { "new price" }
        #expect(fresh == "new price")
        release.continuation.yield()
        #expect(try await slow.value == "old price")
        #expect(cache.value(String.self, tenant: tenant, key: "listing") == "new price")
    }

    @Test func aFailedLoadIsNotCachedAndTheNextCallTriesAgain() async throws {
        struct Down: Error {}
        let cache = MemoryCache()
        let tenant = UUID()
        await #expect(throws: Down.self) {
            try await cache.fetch(Int.self, tenant: tenant, key: "k", cost: { _ in 8 }) { throw Down() }
        }
        #expect(try await cache.fetch(Int.self, tenant: tenant, key: "k", cost: { _ in 8 }) { 7 } == 7)
    }
}
