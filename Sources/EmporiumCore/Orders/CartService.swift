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

    /// Adds to the quantity already in the cart (`POST /cart/items`).
    public func add(in tenantID: UUID, userID: UUID, productID: String, quantity: Int) async throws -> [CartLine] {
        try await change(in: tenantID, userID: userID, productID: productID) { current in current.addingSaturated(quantity) }
    }

    /// Sets the quantity (`PATCH /cart/items/{productId}`); the product must already be in the cart.
    public func set(in tenantID: UUID, userID: UUID, productID: String, quantity: Int) async throws -> [CartLine] {
        try await change(in: tenantID, userID: userID, productID: productID, mustExist: true) { _ in quantity }
    }

    public func remove(in tenantID: UUID, userID: UUID, productID: String) async throws -> [CartLine] {
        guard let id = UUID(uuidString: productID) else { throw DomainError.notFound("That product is not in the cart") }
        return try await storage.write(tenantID) { tx in
            guard try tx.carts.remove(userID: userID, productID: id) else { throw DomainError.notFound("That product is not in the cart") }
            return try Self.lines(tx, userID: userID)
        }
    }

    private func change(in tenantID: UUID, userID: UUID, productID: String, mustExist: Bool = false,
                        _ quantity: @escaping @Sendable (Int) -> Int) async throws -> [CartLine] {
        guard let id = UUID(uuidString: productID) else { throw DomainError.invalid("productId", "must be a UUID") }
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            let current = try tx.carts.lines(userID: userID).first { $0.productID == id }?.quantity
            if mustExist, current == nil { throw DomainError.notFound("That product is not in the cart") }
            let wanted = quantity(current ?? 0)
            let most = try OrderLimits.current(tx.settings).maxUnitsPerLine
            guard (1...most).contains(wanted) else {
                throw DomainError.invalid("quantity", "must be from 1 to \(most) in total (this shop's limit per product)")
            }
            guard let product = try tx.catalog.product(reference: id.lowercased), product.status == .active else {
                throw DomainError.invalid("productId", "this product is not available")
            }
            try tx.carts.setQuantity(userID: userID, productID: product.id, quantity: wanted, at: timestamp)
            return try Self.lines(tx, userID: userID)
        }
    }

    static func lines(_ tx: any TenantTransaction, userID: UUID) throws -> [CartLine] {
        try tx.carts.lines(userID: userID).compactMap { line in
            guard let product = try tx.catalog.product(reference: line.productID.lowercased), product.status == .active else { return nil }
            return CartLine(product: product, quantity: line.quantity)
        }
    }
}
