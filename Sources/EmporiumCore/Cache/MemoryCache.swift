import Foundation
import Synchronization

/// The in-memory cache that stands in for Redis: values per shop (a namespace), bounded by entry
/// count and by an estimate of bytes, each with a time to live. Writes to a shop's catalog drop
/// that shop's entries at once (`invalidate(tenant:)`), so a cached listing never outlives a change.
/// Entries may carry tags (`CacheTag`): a change that touches only some products — an order
/// reserving stock — drops just the entries tagged with them (`invalidate(tenant:tags:)`), so the
/// rest of the storefront stays warm while a shop takes orders.
///
/// `fetch` is the way to fill it: concurrent misses for one key share a single load (no stampede
/// of identical queries after an invalidation), and a load that began before an invalidation never
/// stores its now-stale result. A key asked for in the last quarter of its time to live is loaded
/// again in the background while the current value is still served, so a hot entry is replaced
/// before it expires instead of stalling every caller of it on the reload (a search over a million
/// products costs ~200 ms to load; at expiry every term's callers used to wait for it at once).
public final class MemoryCache: Sendable {
    private struct Key: Hashable {
        let tenant: UUID
        let key: String
    }

    private struct Entry {
        let value: any Sendable
        let cost: Int
        let expires: Date
        let tags: Set<String>
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
        /// Bumped by every invalidation of a shop.
        var generations: [UUID: UInt64] = [:]
        /// What each shop's recent invalidations dropped, to judge a load that ran across them.
        var history: [UUID: InvalidationHistory] = [:]
        /// Each shop's keys, and its keys by tag: an invalidation finds its entries without
        /// walking the whole cache (it runs on every order).
        var keysByTenant: [UUID: Set<String>] = [:]
        var keysByTag: [UUID: [String: Set<String>]] = [:]

        mutating func insert(_ entry: Entry, at key: Key) {
            remove(key)
            entries[key] = entry
            bytes += entry.cost
            keysByTenant[key.tenant, default: []].insert(key.key)
            for tag in entry.tags {
                keysByTag[key.tenant, default: [:]][tag, default: []].insert(key.key)
            }
        }

        mutating func remove(_ key: Key) {
            guard let entry = entries.removeValue(forKey: key) else { return }
            bytes -= entry.cost
            keysByTenant[key.tenant]?.remove(key.key)
            if keysByTenant[key.tenant]?.isEmpty == true { keysByTenant[key.tenant] = nil }
            for tag in entry.tags {
                keysByTag[key.tenant]?[tag]?.remove(key.key)
                if keysByTag[key.tenant]?[tag]?.isEmpty == true { keysByTag[key.tenant]?[tag] = nil }
            }
            if keysByTag[key.tenant]?.isEmpty == true { keysByTag[key.tenant] = nil }
        }
    }

    /// A shop's recent invalidations: the generation of the last full one, and the tags of the
    /// tagged ones after it (bounded; a load older than what is remembered is not stored).
    private struct InvalidationHistory {
        static let remembered = 256
        var lastFull: UInt64 = 0
        var tagged: [(generation: UInt64, tags: Set<String>)] = []

        /// Whether a value with `tags`, loaded from data read at `generation`, is still current.
        func allows(tags: Set<String>, loadedAt generation: UInt64, current: UInt64) -> Bool {
            if generation == current { return true }
            guard lastFull <= generation, let oldest = tagged.first, oldest.generation <= generation + 1 else { return false }
            return tagged.allSatisfy { $0.generation <= generation || $0.tags.isDisjoint(with: tags) }
        }
    }

    private struct Flight: Hashable {
        let tenant: UUID
        let key: String
        let generation: UInt64
    }

    public let maxEntries: Int
    public let maxBytes: Int
    public let ttl: TimeInterval
    private let now: @Sendable () -> Date
    private let state = Mutex(State())
    private let flights = Mutex<[Flight: Task<any Sendable, any Error>]>([:])

    public init(maxEntries: Int = 10_000, maxBytes: Int = 64 << 20, ttl: TimeInterval = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        self.ttl = ttl
        self.now = now
    }

    public func value<T: Sendable>(_ type: T.Type, tenant: UUID, key: String) -> T? {
        lookup(T.self, tenant: tenant, key: key)?.value
    }

    /// The live value and the seconds it has left, counted as a hit; nil (a miss) when absent or expired.
    private func lookup<T: Sendable>(_ type: T.Type, tenant: UUID, key: String) -> (value: T, secondsLeft: TimeInterval)? {
        let time = now()
        return state.withLock { state in
            let cacheKey = Key(tenant: tenant, key: key)
            guard var entry = state.entries[cacheKey], entry.expires > time, let value = entry.value as? T else {
                state.remove(cacheKey)
                state.misses += 1
                return nil
            }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[cacheKey] = entry
            state.hits += 1
            return (value, entry.expires.timeIntervalSince(time))
        }
    }

    /// The cached value, or the result of `load` (stored with its `cost`). Callers that miss at the
    /// same time for the same key wait for one `load` instead of each running it. A value in the
    /// last quarter of its time to live is returned at once while one `load` replaces it behind it.
    public func fetch<T: Sendable>(
        _ type: T.Type, tenant: UUID, key: String, cost: @escaping @Sendable (T) -> Int,
        tags: @escaping @Sendable (T) -> Set<String> = { _ in [] }, load: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        if let cached = lookup(T.self, tenant: tenant, key: key) {
            if cached.secondsLeft < ttl / 4 {
                _ = flight(T.self, tenant: tenant, key: key, cost: cost, tags: tags, load: load)
            }
            return cached.value
        }
        guard let loaded = try await flight(T.self, tenant: tenant, key: key, cost: cost, tags: tags, load: load).value as? T else {
            preconditionFailure("cache key \(key) loaded another type")
        }
        return loaded
    }

    /// The load of `key` running now, or a new one: it stores its result (unless an invalidation
    /// since it began concerns it) and leaves the table of flights when it ends.
    private func flight<T: Sendable>(
        _ type: T.Type, tenant: UUID, key: String, cost: @escaping @Sendable (T) -> Int,
        tags: @escaping @Sendable (T) -> Set<String>, load: @escaping @Sendable () async throws -> T
    ) -> Task<any Sendable, any Error> {
        let flight = Flight(tenant: tenant, key: key, generation: state.withLock { $0.generations[tenant, default: 0] })
        return flights.withLock { flights in
            if let running = flights[flight] { return running }
            let task = Task<any Sendable, any Error> {
                defer { self.flights.withLock { _ = $0.removeValue(forKey: flight) } }
                let loaded = try await load()
                self.store(loaded, cost: cost(loaded), tenant: tenant, key: key, tags: tags(loaded), generation: flight.generation)
                return loaded
            }
            flights[flight] = task
            return task
        }
    }

    /// Stores `value`; `cost` is an estimate of its size in bytes. Values larger than a tenth of the
    /// byte budget are not cached at all. With `generation`, the value is only stored if nothing
    /// invalidated since that generation could concern it (a full invalidation, or a tagged one
    /// sharing one of its tags): an order for another product does not throw away a slow listing.
    public func store(_ value: some Sendable, cost: Int, tenant: UUID, key: String, tags: Set<String> = [], generation: UInt64? = nil) {
        guard cost <= maxBytes / 10 else { return }
        let expires = now().addingTimeInterval(ttl)
        state.withLock { state in
            if let generation, !(state.history[tenant] ?? InvalidationHistory())
                .allows(tags: tags, loadedAt: generation, current: state.generations[tenant, default: 0]) { return }
            state.clock += 1
            state.insert(Entry(value: value, cost: cost, expires: expires, tags: tags, lastUse: state.clock), at: Key(tenant: tenant, key: key))
            if state.entries.count > maxEntries || state.bytes > maxBytes {
                Self.evict(&state, maxEntries: maxEntries, maxBytes: maxBytes)
            }
        }
    }

    /// Drops every entry of one shop.
    public func invalidate(tenant: UUID) {
        state.withLock { state in
            state.generations[tenant, default: 0] += 1
            state.history[tenant] = InvalidationHistory(lastFull: state.generations[tenant, default: 0])
            for key in state.keysByTenant[tenant] ?? [] {
                state.remove(Key(tenant: tenant, key: key))
            }
        }
    }

    /// Drops the shop's entries carrying any of `tags`. A load already running stores its result
    /// only if it carries none of them (`InvalidationHistory.allows`).
    public func invalidate(tenant: UUID, tags: Set<String>) {
        state.withLock { state in
            state.generations[tenant, default: 0] += 1
            var history = state.history[tenant] ?? InvalidationHistory()
            history.tagged.append((state.generations[tenant, default: 0], tags))
            if history.tagged.count > InvalidationHistory.remembered { history.tagged.removeFirst(history.tagged.count / 2) }
            state.history[tenant] = history
            let keys = tags.reduce(into: Set<String>()) { keys, tag in keys.formUnion(state.keysByTag[tenant]?[tag] ?? []) }
            for key in keys {
                state.remove(Key(tenant: tenant, key: key))
            }
        }
    }

    public func statistics() -> (entries: Int, bytes: Int, hits: Int, misses: Int) {
        state.withLock { ($0.entries.count, $0.bytes, $0.hits, $0.misses) }
    }

    /// Removes least recently used entries until both bounds hold with a tenth to spare, so the
    /// sort is paid once per batch rather than once per insert.
    private static func evict(_ state: inout State, maxEntries: Int, maxBytes: Int) {
        let targetEntries = maxEntries - maxEntries / 10
        let targetBytes = maxBytes - maxBytes / 10
        for (key, _) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
            if state.entries.count <= targetEntries && state.bytes <= targetBytes { break }
            state.remove(key)
        }
    }
}
