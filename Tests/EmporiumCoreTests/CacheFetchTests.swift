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

    @Test func aTaggedInvalidationDropsOnlyTheEntriesCarryingThoseTags() async throws {
        let cache = MemoryCache()
        let shop = UUID(), other = UUID()
        let teapot = CacheTag.product(UUID()), kettle = CacheTag.product(UUID())
        cache.store("page with teapot", cost: 8, tenant: shop, key: "listing:1", tags: [teapot, kettle])
        cache.store("page without", cost: 8, tenant: shop, key: "listing:2", tags: [kettle])
        cache.store("categories", cost: 8, tenant: shop, key: "categories")
        cache.store("dashboard", cost: 8, tenant: shop, key: "analytics", tags: [CacheTag.orders])
        cache.store("other shop's teapot page", cost: 8, tenant: other, key: "listing:1", tags: [teapot])

        cache.invalidate(tenant: shop, tags: [teapot, CacheTag.orders])

        #expect(cache.value(String.self, tenant: shop, key: "listing:1") == nil)
        #expect(cache.value(String.self, tenant: shop, key: "analytics") == nil)
        #expect(cache.value(String.self, tenant: shop, key: "listing:2") == "page without")
        #expect(cache.value(String.self, tenant: shop, key: "categories") == "categories")
        #expect(cache.value(String.self, tenant: other, key: "listing:1") == "other shop's teapot page")
        #expect(cache.statistics().bytes == 3 * 8)
    }

    /// Runs a load of a listing showing product "a" that finishes only after `meanwhile` ran, and
    /// answers whether the cache kept it.
    private func keptAfterASlowLoad(meanwhile: (MemoryCache, UUID) -> Void) async throws -> Bool {
        let cache = MemoryCache()
        let tenant = UUID()
        let started = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let slow = Task {
            try await cache.fetch(String.self, tenant: tenant, key: "listing", cost: { _ in 8 }, tags: { _ in ["product:a"] }) {
                started.continuation.yield()
                for await _ in release.stream { break }
                return "read before the changes"
            }
        }
        for await _ in started.stream { break }
        meanwhile(cache, tenant)
        release.continuation.yield()
        _ = try await slow.value
        return cache.value(String.self, tenant: tenant, key: "listing") != nil
    }

    /// A slow listing load that runs while orders come in is stored unless one of those orders was
    /// for a product it shows: frequent orders must not keep every slow page from ever being cached.
    @Test(arguments: [(["product:b"], true), (["product:b", "product:a"], false), (["product:c", "product:a", "product:d"], false)])
    func aLoadRunningAcrossTaggedInvalidationsIsStoredOnlyIfNoneConcernsIt(_ ordered: [String], stored: Bool) async throws {
        let kept = try await keptAfterASlowLoad { cache, tenant in
            for product in ordered { cache.invalidate(tenant: tenant, tags: [product]) }
        }
        #expect(kept == stored)
    }

    @Test func aFullInvalidationDuringALoadAlwaysPreventsTheStore() async throws {
        let kept = try await keptAfterASlowLoad { cache, tenant in
            cache.invalidate(tenant: tenant)
            cache.invalidate(tenant: tenant, tags: ["product:b"])
        }
        #expect(!kept)
    }

    /// Invalidations find entries through per-shop and per-tag indexes; replacing, expiring or
    /// evicting an entry must keep those indexes and the byte count true.
    @Test func indexesStayTrueThroughReplacementEvictionAndInvalidation() {
        let cache = MemoryCache(maxEntries: 100)
        let shop = UUID()
        cache.store("tagged", cost: 10, tenant: shop, key: "k", tags: ["product:a"])
        cache.store("replaced, untagged", cost: 20, tenant: shop, key: "k")
        cache.invalidate(tenant: shop, tags: ["product:a"])
        #expect(cache.value(String.self, tenant: shop, key: "k") == "replaced, untagged")
        #expect(cache.statistics().bytes == 20)

        for index in 0..<250 {
            cache.store(index, cost: 1, tenant: shop, key: "n\(index)", tags: ["product:\(index % 5)"])
        }
        #expect(cache.statistics().entries <= 100)
        cache.invalidate(tenant: shop, tags: ["product:0", "product:1"])
        let left = (0..<250).filter { cache.value(Int.self, tenant: shop, key: "n\($0)") != nil }
        #expect(!left.isEmpty && left.allSatisfy { $0 % 5 >= 2 })
        cache.invalidate(tenant: shop)
        #expect(cache.statistics().entries == 0 && cache.statistics().bytes == 0)
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
