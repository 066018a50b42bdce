import Foundation

public protocol CatalogRepository {
    func insertCategory(_ category: Category) throws
    func updateCategory(_ category: Category) throws
    func deleteCategory(id: UUID) throws
    func category(id: UUID) throws -> Category?
    /// By id or slug.
    func category(reference: String) throws -> Category?
    func categories() throws -> [Category]

    func insertProduct(_ product: Product) throws
    func updateProduct(_ product: Product) throws
    /// Soft delete: the product disappears from the catalog and carts; past orders keep their copy.
    func deleteProduct(id: UUID, at: Date) throws
    /// A product that is not deleted, by id or slug.
    func product(reference: String) throws -> Product?
    /// One page of the selection, in the query's order, with each product's variants.
    func productPage(_ query: ProductQuery) throws -> [Product]
    /// The selection's count, categories and price range; the query's page and sort do not matter.
    func productFacets(_ query: ProductQuery) throws -> ListingFacets
    /// Adds `quantity` to `reserved` if at least that much of the variant is available. Returns
    /// false (and changes nothing) otherwise. The caller checked that its product is active.
    func reserve(variantID: UUID, quantity: Int) throws -> Bool
    /// Applies inventory deltas to a variant (its product's totals follow); the schema's CHECKs
    /// refuse any result below zero or below reserved.
    func adjust(variantID: UUID, stock: Int, reserved: Int, sales: Int) throws
    func addViews(_ counts: [UUID: Int]) throws
    /// Variants of active products whose available stock (stock − reserved) is at or under their
    /// product's low-stock threshold, lowest first, at most `limit` (the `product_stock_quantity` metric).
    func lowStockVariants(limit: Int) throws -> [LowStockVariant]

    // MARK: Storefront addresses

    /// Keeps `slug` as an old address of `target` (a changed slug, or a deleted product or category).
    func retireSlug(_ slug: String, kind: SlugKind, target: UUID, at: Date) throws
    /// What an old slug named, if it was ever retired.
    func retiredSlugTarget(_ slug: String, kind: SlugKind) throws -> UUID?
    /// Active products for the sitemap, oldest first: `limit` of them after the first `offset`.
    func sitemapProducts(offset: Int, limit: Int) throws -> [SitemapEntry]
    func activeProductCount() throws -> Int

    // MARK: Search vocabulary

    /// Whether some word of the products' search index starts with `prefix` (folded as the index folds).
    func searchTermExists(prefix: String) throws -> Bool
    /// Words of the search index starting with `prefix` whose length (in characters) is within
    /// `lengths`, in the index's order, at most `limit`.
    func searchTerms(prefix: String, lengths: ClosedRange<Int>, limit: Int) throws -> [SearchTerm]

    // MARK: Variants

    func insertVariant(_ variant: ProductVariant) throws
    /// Writes the editable fields and stock; reserved and sales change only through `reserve` and `adjust`.
    func updateVariant(_ variant: ProductVariant) throws
    /// Soft delete: the variant leaves the product and carts; past orders keep their copy.
    func deleteVariant(id: UUID, at: Date) throws
}

/// A variant running low, for the `product_stock_quantity` metric.
public struct LowStockVariant: Sendable, Equatable {
    public var productID: UUID
    public var variantID: UUID
    public var name: String
    public var sku: String
    public var available: Int

    public init(productID: UUID, variantID: UUID, name: String, sku: String, available: Int) {
        self.productID = productID
        self.variantID = variantID
        self.name = name
        self.sku = sku
        self.available = available
    }
}

public protocol CartRepository {
    func lines(userID: UUID) throws -> [(productID: UUID, variantID: UUID, quantity: Int)]
    func setQuantity(userID: UUID, productID: UUID, variantID: UUID, quantity: Int, at: Date) throws
    /// Returns false when the variant was not in the cart.
    func remove(userID: UUID, variantID: UUID) throws -> Bool
    func clear(userID: UUID) throws
}

public struct OrderFilter: Sendable, Equatable {
    public var customerID: UUID?
    public var status: OrderStatus?

    public init(customerID: UUID? = nil, status: OrderStatus? = nil) {
        self.customerID = customerID
        self.status = status
    }
}

public protocol OrderRepository {
    func nextNumber() throws -> Int
    /// Stores the order, its lines and history; `idempotency` is `(key, requestHash)` when the
    /// client sent an `Idempotency-Key`.
    func insert(_ order: Order, idempotency: (key: String, requestHash: String)?) throws
    func order(id: UUID) throws -> Order?
    /// The order created earlier by this customer with this key, and the hash of that request.
    func order(customerID: UUID, idempotencyKey: String) throws -> (order: Order, requestHash: String)?
    func update(status: OrderStatus, of orderID: UUID, event: OrderEvent) throws
    func list(_ filter: OrderFilter, page: Page) throws -> [Order]
    func count(_ filter: OrderFilter) throws -> Int
    /// Pending orders created before `cutoff`, oldest first.
    func pendingOrders(before cutoff: Date, limit: Int) throws -> [Order]
    /// How many pending orders the customer created since `since`, counting no further than `limit`
    /// (the hoarding cap is checked on every order: it must cost a few index rows, not a scan).
    func pendingCount(customerID: UUID, since: Date, limit: Int) throws -> Int
    /// The next invoice number: one more than the highest given (the first is 1). Called inside
    /// the transaction that pays the order, so numbers have no gaps and never repeat.
    func nextInvoiceNumber() throws -> Int
    func setInvoiceNumber(_ number: Int, of orderID: UUID) throws
    /// Records the provider and its id of the payment started for the order.
    func setPayment(provider: PaymentProviderKind, reference: String?, of orderID: UUID) throws
    /// The order whose payment the provider knows as `reference`.
    func order(paymentReference: String) throws -> Order?
}

/// Webhook events already handled, per provider: the replay guard.
public protocol PaymentEventRepository {
    func seen(provider: PaymentProviderKind, eventID: String) throws -> Bool
    func record(provider: PaymentProviderKind, eventID: String, type: String, orderID: UUID?, outcome: String, at: Date) throws
}

extension CatalogRepository {
    /// A page and its facets, read in one transaction.
    public func products(_ query: ProductQuery) throws -> ProductListing {
        let facets = try productFacets(query)
        return ProductListing(products: try productPage(query), facets: facets)
    }
}
