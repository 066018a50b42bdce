import Foundation

/// What the server-rendered storefront reads: products and categories by the slug in their
/// address, old addresses (moved or gone), and the sitemap. Every read is cached like the API's.
extension CatalogService {
    /// Products per sitemap file: well under the protocol's 50,000, so one file stays near 1 MB.
    public static let sitemapFileSize = 10_000

    /// An active product by its slug. An id, an old slug of a living product or another spelling
    /// of its slug moves to the current slug; a deleted product's slug is gone. Counts no view: the
    /// page does that itself, as it may be served from its own cache.
    public func storefrontProduct(in tenantID: UUID, slug: String) async throws -> StorefrontLookup<Product> {
        guard (1...220).contains(slug.utf8.count) else { throw DomainError.notFound("No product '\(slug.prefix(40))'") }
        if let product = try await cachedProduct(in: tenantID, reference: slug), product.status == .active {
            return product.slug == slug ? .found(product) : .moved(slug: product.slug)
        }
        let storage = self.storage
        let retired = try await cache.fetch(RetiredSlug.self, tenant: tenantID, key: "retired:product:\(slug)", cost: { _ in 96 }) {
            try await storage.read(tenantID) { tx in
                let target = try tx.catalog.retiredSlugTarget(slug, kind: .product)
                let living = try target.flatMap { try tx.catalog.product(reference: $0.lowercased) }
                return RetiredSlug(known: target != nil, currentSlug: living?.status == .active ? living?.slug : nil,
                                   living: living != nil)
            }
        }
        if let current = retired.currentSlug { return .moved(slug: current) }
        if retired.known, !retired.living { return .gone }
        throw DomainError.notFound("No product '\(slug.prefix(40))'")
    }

    /// A category by its slug; an old slug moves to the current one, a deleted category's is gone.
    public func storefrontCategory(in tenantID: UUID, slug: String) async throws -> StorefrontLookup<Category> {
        guard (1...220).contains(slug.utf8.count) else { throw DomainError.notFound("No category '\(slug.prefix(40))'") }
        let all = try await categories(in: tenantID)
        if let category = all.first(where: { $0.slug == slug }) { return .found(category) }
        if let category = all.first(where: { $0.id.lowercased == slug.lowercased() || $0.slug == slug.lowercased() }) {
            return .moved(slug: category.slug)
        }
        let storage = self.storage
        let target = try await storage.read(tenantID) { tx in try tx.catalog.retiredSlugTarget(slug, kind: .category) }
        guard let target else { throw DomainError.notFound("No category '\(slug.prefix(40))'") }
        if let category = all.first(where: { $0.id == target }) { return .moved(slug: category.slug) }
        return .gone
    }

    /// Records one view of a product page, in memory (`ViewCounter`).
    public func countView(in tenantID: UUID, product: UUID) {
        views.record(tenant: tenantID, product: product)
    }

    /// How many sitemap files of products the shop has (at least one, which may be empty).
    public func sitemapFileCount(in tenantID: UUID) async throws -> Int {
        let storage = self.storage
        let count = try await cache.fetch(Int.self, tenant: tenantID, key: "sitemap:count", cost: { _ in 16 }) {
            try await storage.read(tenantID) { tx in try tx.catalog.activeProductCount() }
        }
        return max(1, (count + Self.sitemapFileSize - 1) / Self.sitemapFileSize)
    }

    /// The products of sitemap file `number` (1-based); a number past the last is not found.
    public func sitemapProducts(in tenantID: UUID, file number: Int) async throws -> [SitemapEntry] {
        let files = try await sitemapFileCount(in: tenantID)
        guard (1...files).contains(number) else { throw DomainError.notFound("No sitemap file \(number)") }
        let storage = self.storage
        let offset = (number - 1) * Self.sitemapFileSize
        return try await cache.fetch([SitemapEntry].self, tenant: tenantID, key: "sitemap:\(number)", cost: { 64 + $0.count * 96 }) {
            try await storage.read(tenantID) { tx in try tx.catalog.sitemapProducts(offset: offset, limit: Self.sitemapFileSize) }
        }
    }

    /// A product by id or slug from the cache, hidden ones included; nil when there is none.
    func cachedProduct(in tenantID: UUID, reference: String) async throws -> Product? {
        do {
            return try await product(in: tenantID, reference: reference, includeHidden: true, countingView: false)
        } catch DomainError.notFound {
            return nil
        }
    }

    /// What a retired slug leads to, cached with the shop's catalog.
    struct RetiredSlug: Sendable {
        var known: Bool
        var currentSlug: String?
        var living: Bool
    }
}
