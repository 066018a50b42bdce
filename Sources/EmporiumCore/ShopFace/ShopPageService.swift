import Foundation

/// The shop's own pages: anyone reads them, staff who may change settings write them. Every
/// storefront page shows the list in its footer, so the list is cached, and a change drops the
/// shop's cached pages with it.
public struct ShopPageService: Sendable {
    let storage: any TenantStorage
    let cache: MemoryCache
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, cache: MemoryCache, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.cache = cache
        self.now = now
    }

    /// Every page, in footer order (bodies included: at most 20 of them).
    public func pages(in tenantID: UUID) async throws -> [ShopPage] {
        let storage = self.storage
        return try await cache.fetch([ShopPage].self, tenant: tenantID, key: "shop-pages",
                                     cost: { pages in 64 + pages.reduce(0) { $0 + 64 + $1.title.utf8.count + $1.body.utf8.count } }) {
            try await storage.read(tenantID) { tx in try tx.shopPages.pages() }
        }
    }

    public func page(in tenantID: UUID, slug: String) async throws -> ShopPage {
        guard let page = try await pages(in: tenantID).first(where: { $0.slug == slug }) else { throw DomainError.notFound("No page '\(slug)'") }
        return page
    }

    /// The shop's face (description, accent colour), cached with the pages.
    public func face(in tenantID: UUID) async throws -> ShopFace {
        let storage = self.storage
        return try await cache.fetch(ShopFace.self, tenant: tenantID, key: "shop-face", cost: { _ in 512 }) {
            try await storage.read(tenantID) { tx in try ShopFace.current(tx.settings) }
        }
    }

    /// Creates or replaces the page at `slug`. Answers the page and whether it is new.
    public func put(in tenantID: UUID, slug: String, title: String, body: String, position: Int?, by actor: Actor) async throws
        -> (page: ShopPage, created: Bool) {
        try actor.require(.settingsWrite)
        let timestamp = now()
        let page = try ShopPage.validated(slug: slug, title: title, body: body, position: position, at: timestamp)
        let created = try await storage.write(tenantID) { tx -> Bool in
            let previous = try tx.shopPages.page(slug: page.slug)
            if previous == nil, try tx.shopPages.pages().count >= ShopPage.maximumPages {
                throw DomainError.conflict("This shop already has \(ShopPage.maximumPages) pages: change or delete one first")
            }
            try tx.shopPages.save(page)
            try tx.audit.record(AuditEntry(previous == nil ? "page.created" : "page.updated", on: "page", id: page.slug, by: actor,
                                           old: previous.map(Self.auditValue), new: Self.auditValue(page), at: timestamp))
            return previous == nil
        }
        cache.invalidate(tenant: tenantID)
        return (page, created)
    }

    public func delete(in tenantID: UUID, slug: String, by actor: Actor) async throws {
        try actor.require(.settingsWrite)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            guard let previous = try tx.shopPages.page(slug: slug), try tx.shopPages.delete(slug: slug) else {
                throw DomainError.notFound("No page '\(slug)'")
            }
            try tx.audit.record(AuditEntry("page.deleted", on: "page", id: slug, by: actor, old: Self.auditValue(previous), at: timestamp))
        }
        cache.invalidate(tenant: tenantID)
    }

    static func auditValue(_ page: ShopPage) -> JSONValue {
        .object(["title": .string(page.title), "position": .number(Double(page.position)), "bodyCharacters": .number(Double(page.body.count))])
    }
}
