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
    public func quote(in tenantID: UUID, userID: UUID, items: [OrderItemRequest]?, choices: CheckoutChoices) async throws -> Quote {
        let requested = try items.map { try OrderItemRequest.parse($0, maximumLines: OrderService.maximumLines) }
        let timestamp = now()
        let setup = try await CheckoutSetup.current(in: tenantID, storage: storage, cache: cache)
        return try await storage.read(tenantID) { tx in
            var lines: [CartLine] = []
            if let requested {
                let limits = try OrderLimits.current(tx.settings)
                try OrderService.check(requested.map(\.quantity), against: limits)
                let chosen = try OrderService.resolve(tx, requested)
                try OrderService.check(chosen.map(\.quantity), against: limits)
                lines = chosen.map { CartLine(product: $0.product, variant: $0.variant, quantity: $0.quantity) }
            } else {
                lines = try CartService.lines(tx, userID: userID)
            }
            guard !lines.isEmpty else { throw DomainError.invalid("items", "the cart is empty") }
            let pricing = lines.map(\.pricing)
            let context = try CheckoutPlanner.context(tx, setup: setup, choices: choices, customerID: userID)
            let plan = try CheckoutPlanner.plan(tx, context: context, lines: pricing, choices: choices, customerID: userID, at: timestamp, forOrder: false)
            return Quote(lines: Array(zip(lines, plan.pricing.lines)).map { ($0.0, $0.1) }, plan: plan)
        }
    }
}
