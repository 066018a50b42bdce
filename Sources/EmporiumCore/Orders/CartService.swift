import Foundation

/// The signed-in user's cart. Totals are always computed here from current prices; lines whose
/// product became unavailable (inactive, draft, deleted) are left out of the cart's answer.
public struct CartService: Sendable {
    public static let quantityRange = 1...999

    let storage: any TenantStorage
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.now = now
    }

    public func cart(in tenantID: UUID, userID: UUID) async throws -> [CartLine] {
        try await storage.read(tenantID) { tx in try Self.lines(tx, userID: userID) }
    }

    /// Adds to the quantity already in the cart (`POST /cart/items`). `variantID` may be left out
    /// for a product with one variant.
    public func add(in tenantID: UUID, userID: UUID, productID: String, variantID: String? = nil, quantity: Int) async throws -> [CartLine] {
        guard let product = UUID(uuidString: productID) else { throw DomainError.invalid("productId", "must be a UUID") }
        let variant = try ProductFields.uuid(variantID, field: "variantId")
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            guard let found = try tx.catalog.product(reference: product.lowercased), found.status == .active else {
                throw DomainError.invalid("productId", "this product is not available")
            }
            let chosen = try found.variant(variant, field: "variantId")
            let current = try tx.carts.lines(userID: userID).first { $0.variantID == chosen.id }?.quantity ?? 0
            try Self.store(tx, userID: userID, product: found, variant: chosen, quantity: current.addingSaturated(quantity), at: timestamp)
            return try Self.lines(tx, userID: userID)
        }
    }

    /// Sets the quantity (`PATCH /cart/items/{id}`) of a line already in the cart.
    public func set(in tenantID: UUID, userID: UUID, itemID: String, quantity: Int) async throws -> [CartLine] {
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            let line = try Self.line(tx, userID: userID, itemID: itemID)
            guard let product = try tx.catalog.product(reference: line.productID.lowercased), product.status == .active,
                  let variant = product.variants.first(where: { $0.id == line.variantID }) else {
                throw DomainError.invalid("productId", "this product is not available")
            }
            try Self.store(tx, userID: userID, product: product, variant: variant, quantity: quantity, at: timestamp)
            return try Self.lines(tx, userID: userID)
        }
    }

    public func remove(in tenantID: UUID, userID: UUID, itemID: String) async throws -> [CartLine] {
        try await storage.write(tenantID) { tx in
            let line = try Self.line(tx, userID: userID, itemID: itemID)
            guard try tx.carts.remove(userID: userID, variantID: line.variantID) else { throw DomainError.notFound("That product is not in the cart") }
            return try Self.lines(tx, userID: userID)
        }
    }

    /// A cart line named by its variant's id, or by its product's id when the cart holds one
    /// variant of that product (clients from before variants).
    static func line(_ tx: any TenantTransaction, userID: UUID, itemID: String) throws -> (productID: UUID, variantID: UUID, quantity: Int) {
        guard let id = UUID(uuidString: itemID) else { throw DomainError.notFound("That product is not in the cart") }
        let lines = try tx.carts.lines(userID: userID)
        if let line = lines.first(where: { $0.variantID == id }) { return line }
        let ofProduct = lines.filter { $0.productID == id }
        guard let line = ofProduct.first else { throw DomainError.notFound("That product is not in the cart") }
        guard ofProduct.count == 1 else {
            throw DomainError.invalid("productId", "the cart holds \(ofProduct.count) variants of this product: name one by its variantId")
        }
        return line
    }

    private static func store(_ tx: any TenantTransaction, userID: UUID, product: Product, variant: ProductVariant, quantity: Int, at timestamp: Date) throws {
        let most = try OrderLimits.current(tx.settings).maxUnitsPerLine
        guard (1...most).contains(quantity) else {
            throw DomainError.invalid("quantity", "must be from 1 to \(most) in total (this shop's limit per product)")
        }
        try tx.carts.setQuantity(userID: userID, productID: product.id, variantID: variant.id, quantity: quantity, at: timestamp)
    }

    static func lines(_ tx: any TenantTransaction, userID: UUID) throws -> [CartLine] {
        try tx.carts.lines(userID: userID).compactMap { line in
            guard let product = try tx.catalog.product(reference: line.productID.lowercased), product.status == .active,
                  let variant = product.variants.first(where: { $0.id == line.variantID }) else { return nil }
            return CartLine(product: product, variant: variant, quantity: line.quantity)
        }
    }
}
