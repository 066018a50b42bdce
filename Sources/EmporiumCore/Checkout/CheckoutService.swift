import Foundation

/// The cart's quote (`POST /checkout/quote`): the same planner the order uses, in a read
/// transaction, so the customer sees the shipping options for their address, the discounts, the
/// tax and the total they will be charged — before any stock is reserved.
public struct CheckoutService: Sendable {
    let storage: any TenantStorage
    let cache: MemoryCache
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, cache: MemoryCache, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.cache = cache
        self.now = now
    }

    public struct Quote: Sendable {
        public var lines: [(line: CartLine, priced: PricedLine)]
        public var plan: CheckoutPlan
    }

    /// `items` nil: the caller's cart.
    public func quote(in tenantID: UUID, userID: UUID, items: [(productID: String, quantity: Int)]?, choices: CheckoutChoices) async throws -> Quote {
        let requested = try items.map(OrderService.merge)
        let timestamp = now()
        let setup = try await CheckoutSetup.current(in: tenantID, storage: storage, cache: cache)
        return try await storage.read(tenantID) { tx in
            var lines: [CartLine] = []
            if let requested {
                let limits = try OrderLimits.current(tx.settings)
                try OrderService.check(requested, against: limits)
                for (index, (id, quantity)) in requested.enumerated() {
                    guard let product = try tx.catalog.product(reference: id.lowercased), product.status == .active else {
                        throw DomainError.invalid("items[\(index)].productId", "this product is not available")
                    }
                    lines.append(CartLine(product: product, quantity: quantity))
                }
            } else {
                lines = try CartService.lines(tx, userID: userID)
            }
            guard !lines.isEmpty else { throw DomainError.invalid("items", "the cart is empty") }
            let pricing = lines.map {
                PricingLine(productID: $0.product.id, categoryID: $0.product.categoryID, quantity: $0.quantity, unitPriceMinor: $0.product.priceMinor,
                            gramsEach: $0.product.weightGrams)
            }
            let context = try CheckoutPlanner.context(tx, setup: setup, choices: choices, customerID: userID)
            let plan = try CheckoutPlanner.plan(tx, context: context, lines: pricing, choices: choices, customerID: userID, at: timestamp, forOrder: false)
            return Quote(lines: Array(zip(lines, plan.pricing.lines)).map { ($0.0, $0.1) }, plan: plan)
        }
    }
}
