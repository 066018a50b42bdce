import Foundation

/// The catalog: categories, products, inventory. Listings and product pages are served from the
/// in-memory cache; every catalog or inventory write of a shop invalidates that shop's entries in
/// the same call, after its transaction committed.
public struct CatalogService: Sendable {
    let storage: any TenantStorage
    let cache: MemoryCache
    let views: ViewCounter
    /// Uncached searches per shop: half the cores at once (at least one), 32 waiting.
    let searches: PerShopLimit
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, cache: MemoryCache, views: ViewCounter,
                searches: PerShopLimit = PerShopLimit("searches", concurrent: ProcessInfo.processInfo.activeProcessorCount / 2, waitingPerShop: 32),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.cache = cache
        self.views = views
        self.searches = searches
        self.now = now
    }

    // MARK: Categories

    public func categories(in tenantID: UUID) async throws -> [Category] {
        let storage = self.storage
        return try await cache.fetch([Category].self, tenant: tenantID, key: "categories", cost: { 200 * max(1, $0.count) }) {
            try await storage.read(tenantID) { tx in try tx.catalog.categories() }
        }
    }

    public func createCategory(in tenantID: UUID, name: String, slug: String?, parentID: String?, seoTitle: String? = nil, seoDescription: String? = nil,
                               by actor: Actor) async throws -> Category {
        try actor.require(.productsWrite)
        let name = try ProductFields.name(name, field: "name", maximum: 100)
        let slug = try ProductFields.slug(slug ?? DemoCatalog.slug(name))
        let parent = try ProductFields.uuid(parentID, field: "parentId")
        let seo = try SearchAppearance.validated(title: seoTitle, description: seoDescription)
        let timestamp = now()
        let category = Category(id: UUID(), name: name, slug: slug, parentID: parent, seo: seo, createdAt: timestamp, updatedAt: timestamp)
        try await write(tenantID) { tx in
            if let parent, try tx.catalog.category(id: parent) == nil { throw DomainError.invalid("parentId", "no such category") }
            try tx.catalog.insertCategory(category)
            try tx.audit.record(AuditEntry("category.created", on: "category", id: category.id.lowercased, by: actor,
                                           new: .object(["name": .string(name), "slug": .string(slug)]), at: timestamp))
        }
        return category
    }

    public func updateCategory(in tenantID: UUID, id: String, name: String?, slug: String?, parentID: String??, seo: SearchAppearance.Change = .init(),
                               by actor: Actor) async throws -> Category {
        try actor.require(.productsWrite)
        _ = try seo.applied(to: SearchAppearance())
        let newName = try name.map { try ProductFields.name($0, field: "name", maximum: 100) }
        let newSlug = try slug.map(ProductFields.slug)
        let newParent: UUID?? = try parentID.map { try ProductFields.uuid($0, field: "parentId") }
        let timestamp = now()
        return try await write(tenantID) { tx in
            guard var category = try tx.catalog.category(reference: id) else { throw DomainError.notFound("No category '\(id)'") }
            let before = JSONValue.object(["name": .string(category.name), "slug": .string(category.slug)])
            if let newName { category.name = newName }
            if !seo.isEmpty { category.seo = try seo.applied(to: category.seo) }
            if let newSlug, newSlug != category.slug {
                try tx.catalog.retireSlug(category.slug, kind: .category, target: category.id, at: timestamp)
                category.slug = newSlug
            }
            if let newParent {
                if let parent = newParent {
                    guard parent != category.id, try tx.catalog.category(id: parent) != nil else {
                        throw DomainError.invalid("parentId", "must be another existing category")
                    }
                }
                category.parentID = newParent
            }
            category.updatedAt = timestamp
            try tx.catalog.updateCategory(category)
            try tx.audit.record(AuditEntry("category.updated", on: "category", id: category.id.lowercased, by: actor, old: before,
                                           new: .object(["name": .string(category.name), "slug": .string(category.slug)]), at: timestamp))
            return category
        }
    }

    public func deleteCategory(in tenantID: UUID, id: String, by actor: Actor) async throws {
        try actor.require(.productsWrite)
        let timestamp = now()
        try await write(tenantID) { tx in
            guard let category = try tx.catalog.category(reference: id) else { throw DomainError.notFound("No category '\(id)'") }
            try tx.catalog.deleteCategory(id: category.id)
            try tx.catalog.retireSlug(category.slug, kind: .category, target: category.id, at: timestamp)
            try tx.audit.record(AuditEntry("category.deleted", on: "category", id: category.id.lowercased, by: actor,
                                           old: .object(["name": .string(category.name)]), at: timestamp))
        }
    }

    // MARK: Products

    /// A page of the catalog and its facets. The facets are cached apart from the page: the next page or another sort of the same
    /// selection reuses them (over 1,000,000 products a selection's facets took 88–186 ms, a page
    /// ~1 ms). An order drops the pages showing its products, not the facets: stock is not among them.
    ///
    /// A search not in the cache is worked out under `searches`: a few per shop at once, so one
    /// shop's clients paging through `search=e&sort=-price` hold at most that many cores.
    public func list(in tenantID: UUID, _ query: ProductQuery) async throws -> ProductListing {
        let storage = self.storage
        return try await cache.fetch(ProductListing.self, tenant: tenantID, key: Self.listingKey(query),
                                     cost: { listing in 256 + listing.products.reduce(0) { $0 + $1.estimatedBytes } },
                                     tags: Self.tags) {
            let build: @Sendable () async throws -> ProductListing = {
                let facets = try await self.facets(in: tenantID, query)
                let page = try await storage.read(tenantID) { tx in try tx.catalog.productPage(query) }
                // Only a search that found nothing looks for a correction: exact ones never pay for it.
                guard facets.total == 0, let match = query.match else { return ProductListing(products: page, facets: facets) }
                let suggestion = try await storage.read(tenantID) { tx in
                    try SearchCorrection.correct(SearchCorrection.words(ofMatch: match), isKnown: tx.catalog.searchTermExists(prefix:)) {
                        try tx.catalog.searchTerms(prefix: $0, lengths: $1, limit: SearchCorrection.candidateLimit)
                    }
                }
                return ProductListing(products: page, facets: facets, suggestion: suggestion)
            }
            return query.match == nil ? try await build() : try await self.searches.run(for: tenantID, build)
        }
    }

    func facets(in tenantID: UUID, _ query: ProductQuery) async throws -> ListingFacets {
        let storage = self.storage
        return try await cache.fetch(ListingFacets.self, tenant: tenantID, key: Self.facetsKey(query),
                                     cost: { facets in 128 + facets.categoryNames.reduce(0) { $0 + 16 + $1.utf8.count } }) {
            try await storage.read(tenantID) { tx in try tx.catalog.productFacets(query) }
        }
    }

    /// A listing in the caller's own representation (the HTTP layer's encoded body), cached beside
    /// the listing under `variant` and dropped with it by the same invalidation. A warm storefront
    /// page then costs a cache lookup instead of encoding twenty products on every request.
    public func list<Rendered: Sendable>(
        in tenantID: UUID, _ query: ProductQuery, as variant: String, cost: @escaping @Sendable (Rendered) -> Int,
        render: @escaping @Sendable (ProductListing) throws -> Rendered
    ) async throws -> Rendered {
        let rendered = try await cache.fetch(RenderedListing<Rendered>.self, tenant: tenantID, key: Self.listingKey(query) + "#" + variant,
                                             cost: { cost($0.value) }, tags: { $0.tags }) {
            let listing = try await self.list(in: tenantID, query)
            return RenderedListing(value: try render(listing), tags: Self.tags(listing))
        }
        return rendered.value
    }

    /// A rendered listing remembers which products it shows, for tagged invalidation.
    private struct RenderedListing<Value: Sendable>: Sendable {
        let value: Value
        let tags: Set<String>
    }

    /// The cache tags of an entry showing `listing`: one per product on it.
    public static func tags(_ listing: ProductListing) -> Set<String> {
        Set(listing.products.map { CacheTag.product($0.id) })
    }

    /// The selection without its page and order: what the facets depend on.
    static func facetsKey(_ query: ProductQuery) -> String {
        "facets?\(query.match ?? "")|\(query.category ?? "")|\(query.status?.rawValue ?? "")|"
            + "\(query.minPriceMinor.map(String.init) ?? "")|\(query.maxPriceMinor.map(String.init) ?? "")|\(query.includeHidden)"
    }

    static func listingKey(_ query: ProductQuery) -> String {
        "products?\(query.page.page)|\(query.page.limit)|\(query.match ?? "")|\(query.category ?? "")|\(query.status?.rawValue ?? "")|"
            + "\(query.minPriceMinor.map(String.init) ?? "")|\(query.maxPriceMinor.map(String.init) ?? "")|\(query.sort?.rawValue ?? "")|\(query.includeHidden)"
    }

    /// A product by id or slug; hidden (not active) products only for staff. Counts a view,
    /// batched in memory.
    public func product(in tenantID: UUID, reference: String, includeHidden: Bool, countingView: Bool = true) async throws -> Product {
        let key = "product:\(reference.lowercased())"
        let storage = self.storage
        let product = try await cache.fetch(Product.self, tenant: tenantID, key: key, cost: { $0.estimatedBytes },
                                            tags: { [CacheTag.product($0.id)] }) {
            guard let found = try await storage.read(tenantID, { tx in try tx.catalog.product(reference: reference.lowercased()) }) else {
                throw DomainError.notFound("No product '\(reference)'")
            }
            return found
        }
        guard includeHidden || product.status == .active else { throw DomainError.notFound("No product '\(reference)'") }
        if countingView { views.record(tenant: tenantID, product: product.id) }
        return product
    }

    public func createProduct(in tenantID: UUID, _ input: ProductInput, by actor: Actor) async throws -> Product {
        try actor.require(.productsWrite)
        let valid = try input.validated()
        let timestamp = now()
        return try await write(tenantID) { tx in
            let category = try valid.categoryID.map { id in
                guard let category = try tx.catalog.category(id: id) else { throw DomainError.invalid("categoryId", "no such category") }
                return category
            }
            var slug = DemoCatalog.slug(valid.name)
            if try slug.isEmpty || tx.catalog.product(reference: slug) != nil {
                slug = [slug, DemoCatalog.slug(valid.sku)].filter { !$0.isEmpty }.joined(separator: "-")
            }
            let first = valid.variants.first
            let product = Product(
                id: UUID(), sku: valid.sku, name: valid.name, slug: slug, description: valid.description, seo: valid.seo,
                priceMinor: first?.priceMinor ?? valid.priceMinor, status: valid.status, categoryID: category?.id, categoryName: category?.name,
                images: valid.images, attributes: valid.attributes, stock: first?.stock ?? valid.stock, lowStockThreshold: valid.lowStockThreshold,
                weightGrams: first?.weightGrams ?? valid.weightGrams, createdAt: timestamp, updatedAt: timestamp
            )
            // The schema gives the product its default variant; given variants replace it.
            try tx.catalog.insertProduct(product)
            if !valid.variants.isEmpty {
                guard let inserted = try tx.catalog.product(reference: product.id.lowercased), let defaultVariant = inserted.variants.first else {
                    throw DomainError.unavailable("The product could not be read back")
                }
                let variants = try VariantRules.normalized(valid.variants.enumerated().map { index, variant in
                    ProductVariant(id: index == 0 ? defaultVariant.id : UUID(), productID: product.id, sku: variant.sku, options: variant.options,
                                   priceMinor: variant.priceMinor ?? valid.priceMinor, stock: variant.stock,
                                   weightGrams: variant.weightGrams ?? valid.weightGrams, attributes: variant.attributes, position: index + 1,
                                   createdAt: timestamp, updatedAt: timestamp)
                }, field: "variants")
                try tx.catalog.updateVariant(variants[0])
                for variant in variants.dropFirst() { try tx.catalog.insertVariant(variant) }
            }
            let created = try Self.reread(tx, product.id)
            try tx.audit.record(AuditEntry("product.created", on: "product", id: product.id.lowercased, by: actor, new: created.auditValues, at: timestamp))
            return created
        }
    }

    public func updateProduct(in tenantID: UUID, id: String, _ patch: ProductPatch, by actor: Actor) async throws -> Product {
        try actor.require(.productsWrite)
        let valid = try patch.validated()
        _ = try patch.seo.applied(to: SearchAppearance())
        let timestamp = now()
        return try await write(tenantID) { tx in
            guard var product = try tx.catalog.product(reference: id.lowercased()) else { throw DomainError.notFound("No product '\(id)'") }
            let before = product
            if let name = valid.name { product.name = name }
            if let slug = valid.slug, slug != product.slug {
                try tx.catalog.retireSlug(product.slug, kind: .product, target: product.id, at: timestamp)
                product.slug = slug
            }
            if let sku = valid.sku { product.sku = sku }
            if let status = valid.status { product.status = status }
            if let description = valid.description { product.description = description }
            if !patch.seo.isEmpty { product.seo = try patch.seo.applied(to: product.seo) }
            if let images = valid.images { product.images = images }
            if let attributes = valid.attributes { product.attributes = attributes }
            if let threshold = valid.lowStockThreshold { product.lowStockThreshold = threshold }
            if let categoryID = valid.categoryID {
                if let id = categoryID {
                    guard let category = try tx.catalog.category(id: id) else { throw DomainError.invalid("categoryId", "no such category") }
                    product.categoryID = category.id
                    product.categoryName = category.name
                } else {
                    product.categoryID = nil
                    product.categoryName = nil
                }
            }
            product.updatedAt = timestamp
            // Price, stock and weight belong to variants: through the product only when it has one.
            if valid.priceMinor != nil || valid.stock != nil || valid.weightGrams != nil || valid.sku != nil {
                try Self.applyToOnlyVariant(tx, product: product, valid, previousSKU: before.sku, at: timestamp)
            }
            try tx.catalog.updateProduct(product)
            let updated = try Self.reread(tx, product.id)
            try tx.audit.record(AuditEntry("product.updated", on: "product", id: product.id.lowercased, by: actor, old: before.auditValues,
                                           new: updated.auditValues, at: timestamp))
            return updated
        }
    }

    /// `PATCH /products/{id}` with price, stock or weight on a product with one variant changes
    /// that variant (and a new SKU goes to a variant that shared the product's). With several
    /// variants, those are set on each variant.
    static func applyToOnlyVariant(_ tx: any TenantTransaction, product: Product, _ valid: ProductPatch.Valid, previousSKU: String, at timestamp: Date) throws {
        guard product.variants.count == 1, var variant = product.variants.first else {
            var issues: [FieldIssue] = []
            for (field, given) in [("price", valid.priceMinor != nil), ("stock", valid.stock != nil), ("weightGrams", valid.weightGrams != nil)] where given {
                issues.append(FieldIssue(field: field, message: "this product has \(product.variants.count) variants: set it on each variant"))
            }
            if !issues.isEmpty { throw DomainError.validation(issues) }
            return
        }
        if let price = valid.priceMinor { variant.priceMinor = price }
        if let weight = valid.weightGrams { variant.weightGrams = weight }
        if let sku = valid.sku, variant.sku == previousSKU { variant.sku = sku }
        if let stock = valid.stock {
            guard stock >= variant.reserved else {
                throw DomainError.invalid("stock", "must not be below the \(variant.reserved) units reserved by open orders")
            }
            variant.stock = stock
        }
        variant.updatedAt = timestamp
        try tx.catalog.updateVariant(variant)
    }

    /// The product as stored after a write, with its variants and the totals the schema keeps.
    static func reread(_ tx: any TenantTransaction, _ id: UUID) throws -> Product {
        try product(tx, id.lowercased)
    }

    public func deleteProduct(in tenantID: UUID, id: String, by actor: Actor) async throws {
        try actor.require(.productsWrite)
        let timestamp = now()
        try await write(tenantID) { tx in
            guard let product = try tx.catalog.product(reference: id.lowercased()) else { throw DomainError.notFound("No product '\(id)'") }
            try tx.catalog.deleteProduct(id: product.id, at: timestamp)
            try tx.catalog.retireSlug(product.slug, kind: .product, target: product.id, at: timestamp)
            try tx.audit.record(AuditEntry("product.deleted", on: "product", id: product.id.lowercased, by: actor, old: product.auditValues, at: timestamp))
        }
    }

    public enum InventoryChange: Sendable {
        case delta(Int)
        case set(Int)
    }

    /// `POST /products/{id}/inventory`: one variant's stock (the only one when `variantID` is nil),
    /// never below what open orders have reserved of it.
    public func adjustInventory(in tenantID: UUID, id: String, variantID: String? = nil, _ change: InventoryChange, reason: String,
                                by actor: Actor) async throws -> Product {
        try actor.require(.productsWrite)
        let reason = reason.trimmed
        guard (1...200).contains(reason.count) else { throw DomainError.invalid("reason", "must be 1 to 200 characters") }
        let variantUUID = try ProductFields.uuid(variantID, field: "variantId")
        let limit = ProductFields.maximumStock
        switch change {
        case .delta(let delta) where !(-limit...limit).contains(delta):
            throw DomainError.invalid("delta", "must be a whole number from -\(limit) to \(limit)")
        case .set(let value) where !(0...limit).contains(value):
            throw DomainError.invalid("set", "must be a whole number from 0 to \(limit)")
        default: break
        }
        let timestamp = now()
        return try await write(tenantID) { tx in
            let product = try Self.product(tx, id)
            let variant = try product.variant(variantUUID, field: "variantId")
            let target: Int
            switch change {
            // Both are bounded above, but a file edited by hand may hold any stock: never trap.
            case .delta(let delta): target = variant.stock.addingSaturated(delta)
            case .set(let value): target = value
            }
            guard target >= 0, target <= ProductFields.maximumStock else {
                throw DomainError.invalid("stock", "would be \(target); must be from 0 to \(ProductFields.maximumStock)")
            }
            guard target >= variant.reserved else {
                throw DomainError.invalid("stock", "would be \(target), below the \(variant.reserved) units reserved by open orders")
            }
            try tx.catalog.adjust(variantID: variant.id, stock: target - variant.stock, reserved: 0, sales: 0)
            try tx.audit.record(AuditEntry("inventory.adjusted", on: "product", id: product.id.lowercased, by: actor,
                                           old: .object(["stock": .number(Double(variant.stock)), "sku": .string(variant.sku)]),
                                           new: .object(["stock": .number(Double(target)), "reason": .string(reason)]), at: timestamp))
            return try Self.reread(tx, product.id)
        }
    }

    /// Writes the batched view counts, one transaction per shop; counts of a failed shop are kept
    /// for the next flush.
    public func flushViews() async {
        for (tenant, counts) in views.drain() {
            do {
                try await storage.write(tenant) { tx in try tx.catalog.addViews(counts) }
            } catch DomainError.unavailable {
                continue  // the shop is gone or shutting down: nothing to keep
            } catch {
                views.restore([tenant: counts])
            }
        }
    }

    /// A write to the catalog: runs the transaction, then drops the shop's cached listings.
    func write<T: Sendable>(_ tenantID: UUID, _ body: @escaping @Sendable (any TenantTransaction) throws -> T) async throws -> T {
        let result = try await storage.write(tenantID, body)
        cache.invalidate(tenant: tenantID)
        return result
    }
}
