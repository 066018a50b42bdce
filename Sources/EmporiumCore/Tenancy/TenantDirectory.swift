import Foundation

/// Resolves the shop a request is for, with a short-lived in-memory cache in front of the system
/// database so tenant resolution costs no query on the hot path.
///
/// Changes made through this process are forgotten at once (`forget`); changes made by another
/// process (the `emporium tenant suspend` command next to a running server) are seen within `ttl`.
/// Unknown names are cached too, so a flood of bogus `X-Tenant-ID`s cannot hammer the system database.
public actor TenantDirectory {
    private struct Entry {
        let tenant: Tenant?
        let expires: Date
    }

    private enum Key: Hashable {
        case id(UUID)
        case subdomain(String)
        case domain(String)
    }

    private let store: any TenantStore
    private let ttl: TimeInterval
    private let capacity: Int
    private var entries: [Key: Entry] = [:]
    private(set) var hits = 0
    private(set) var misses = 0

    public init(store: any TenantStore, ttl: TimeInterval = 2, capacity: Int = 10_000) {
        self.store = store
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The `X-Tenant-ID` header: a UUID or a subdomain.
    public func resolve(reference: String) async throws -> Tenant? {
        let trimmed = reference.trimmingCharacters(in: .whitespaces)
        if let id = UUID(uuidString: trimmed) {
            return try await lookup(.id(id)) { try await $0.tenant(id: id) }
        }
        // Nothing longer than a DNS label can be a subdomain: answer without a query or a cache entry,
        // so huge bogus headers cannot fill the cache.
        guard trimmed.utf8.count <= 63 else { return nil }
        let subdomain = trimmed.lowercased()
        return try await lookup(.subdomain(subdomain)) { try await $0.tenant(subdomain: subdomain) }
    }

    /// The `Host` header: `<subdomain>.<baseDomain>` first, then a shop's custom domain.
    public func resolve(host rawHost: String, baseDomain: String?) async throws -> Tenant? {
        let host = Self.hostWithoutPort(rawHost)
        guard !host.isEmpty, host.utf8.count <= 253 else { return nil }
        if let baseDomain, host.hasSuffix("." + baseDomain) {
            let label = String(host.dropLast(baseDomain.count + 1))
            if !label.contains(".") {
                if let tenant = try await lookup(.subdomain(label), { try await $0.tenant(subdomain: label) }) {
                    return tenant
                }
            }
        }
        return try await lookup(.domain(host)) { try await $0.tenant(domain: host) }
    }

    /// Drops every cached answer about this shop (after an update, suspension or deletion).
    public func forget(_ id: UUID) {
        entries = entries.filter { key, entry in
            if case .id(id) = key { return false }
            return entry.tenant?.id != id
        }
        // Negative answers may now be wrong too (a renamed subdomain or a new domain).
        entries = entries.filter { $0.value.tenant != nil }
    }

    /// Cache statistics for the health check and metrics.
    public func statistics() -> (entries: Int, hits: Int, misses: Int) {
        (entries.count, hits, misses)
    }

    private func lookup(_ key: Key, _ load: (any TenantStore) async throws -> Tenant?) async throws -> Tenant? {
        let now = Date()
        if let entry = entries[key], entry.expires > now {
            hits += 1
            return entry.tenant
        }
        misses += 1
        let tenant = try await load(store)
        if entries.count >= capacity {
            entries.removeAll(keepingCapacity: true)
        }
        entries[key] = Entry(tenant: tenant, expires: now.addingTimeInterval(ttl))
        return tenant
    }

    static func hostWithoutPort(_ host: String) -> String {
        var value = host.trimmingCharacters(in: .whitespaces).lowercased()
        if value.hasPrefix("[") {
            return value  // IPv6 literal: never a shop name
        }
        if let colon = value.lastIndex(of: ":") {
            value = String(value[..<colon])
        }
        if value.hasSuffix(".") { value.removeLast() }
        return value
    }
}
