import EmporiumCore
import Foundation
import Synchronization
import Testing

/// A hot entry is loaded again behind its callers in the last quarter of its time to live (60 s
/// here, so from 45 s on), and no value is ever served past its time to live.
@Suite("Cache fetch: hot entries refreshed before they expire")
struct CacheRefreshAheadTests {
    let clock = MutableClock()
    let tenant = UUID()
    var cache: MemoryCache { MemoryCache(ttl: 60, now: { [clock] in clock.now }) }

    /// A load that waits for `release` before answering `value`, counting itself in `loads`.
    func gatedLoad(_ value: String, loads: LoadCounter, release: AsyncStream<Void>? = nil) -> @Sendable () async throws -> String {
        { [release] in
            loads.increment()
            if let release { for await _ in release { break } }
            return value
        }
    }

    /// Fetches the test's key; a load, if one runs, answers `value` (after `release`, when given).
    func fetch(_ cache: MemoryCache, loading value: String, _ loads: LoadCounter, release: AsyncStream<Void>? = nil) async throws -> String {
        try await cache.fetch(String.self, tenant: tenant, key: "search", cost: { _ in 8 }, load: gatedLoad(value, loads: loads, release: release))
    }

    /// A cache holding `value` (its load counted), with the clock then `seconds` later.
    func cache(holding value: String, after seconds: TimeInterval) async throws -> (MemoryCache, LoadCounter) {
        let cache = cache
        let loads = LoadCounter()
        _ = try await fetch(cache, loading: value, loads)
        clock.advance(seconds)
        return (cache, loads)
    }

    func stored(_ cache: MemoryCache) -> String? {
        cache.value(String.self, tenant: tenant, key: "search")
    }

    /// Whether `condition` comes true within two seconds (a background load runs on its own task).
    func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func aHotEntryIsServedAtOnceWhileOneLoadReplacesItBeforeItExpires() async throws {
        let cache = cache
        let loads = LoadCounter()
        #expect(try await fetch(cache, loading: "first", loads) == "first")
        clock.advance(30)
        #expect(try await fetch(cache, loading: "early", loads) == "first")
        #expect(loads.value == 1, "half way through its life an entry is not reloaded")

        // 50 s in: every caller gets the current value at once, while a single reload runs (held open here)
        clock.advance(20)
        let release = AsyncStream<Void>.makeStream()
        let reload = gatedLoad("second", loads: loads, release: release.stream)
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask { try await cache.fetch(String.self, tenant: tenant, key: "search", cost: { _ in 8 }, load: reload) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers == Array(repeating: "first", count: 20))
        #expect(try await eventually { loads.value == 2 }, "one reload for twenty callers")
        release.continuation.yield()
        #expect(try await eventually { stored(cache) == "second" })
        #expect(loads.value == 2)

        // The replacement lives its own 60 s: at 100 s it is served without a load
        clock.advance(50)
        #expect(try await fetch(cache, loading: "third", loads) == "second")
        #expect(loads.value == 2)
    }

    @Test func pastItsTimeToLiveAValueIsNeverServed() async throws {
        let (cache, loads) = try await cache(holding: "old", after: 61)
        #expect(try await fetch(cache, loading: "new", loads) == "new")
        #expect(loads.value == 2)
    }

    @Test func aWriteDuringTheReloadKeepsItsResultOut() async throws {
        let (cache, loads) = try await cache(holding: "before", after: 50)
        let release = AsyncStream<Void>.makeStream()
        let served = try await fetch(cache, loading: "read before the write", loads, release: release.stream)
        #expect(served == "before")
        #expect(try await eventually { loads.value == 2 })
        cache.invalidate(tenant: tenant)
        release.continuation.yield()
        // The reload's answer predates the write: the next caller loads again and sees the write
        try await Task.sleep(for: .milliseconds(50))
        #expect(stored(cache) == nil)
        #expect(try await fetch(cache, loading: "after", loads) == "after")
    }

    @Test func aFailedReloadLeavesTheValueToItsTimeToLive() async throws {
        struct Down: Error {}
        let (cache, loads) = try await cache(holding: "kept", after: 50)
        #expect(try await cache.fetch(String.self, tenant: tenant, key: "search", cost: { _ in 8 }) { throw Down() } == "kept")
        try await Task.sleep(for: .milliseconds(50))
        #expect(stored(cache) == "kept")
        clock.advance(11)
        #expect(try await fetch(cache, loading: "fresh", loads) == "fresh")
    }
}
