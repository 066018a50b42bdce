import Crypto
import Foundation

/// Placing orders and moving them through their lifecycle. Placing reserves stock for every line
/// in one transaction (`UPDATE … WHERE stock - reserved >= quantity`), so concurrent buyers can
/// never oversell; paying converts reservations into sales; cancelling releases them.
public struct OrderService: Sendable {
    public static let maximumLines = 100

    let storage: any TenantStorage
    let cache: MemoryCache
    let reservationTTL: TimeInterval
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, cache: MemoryCache, reservationTTL: TimeInterval, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.cache = cache
        self.reservationTTL = reservationTTL
        self.now = now
    }

    public struct Request: Sendable {
        /// nil: order the caller's cart.
        public var items: [OrderItemRequest]?
        public var paymentMethod: String?
        public var currency: String
        public var idempotencyKey: String?
        /// Address, shipping method and coupon.
        public var choices: CheckoutChoices
        /// The total the buyer was quoted (`totals.total` of the quote, in the shop's currency):
        /// an order that would cost anything else is refused with the new totals, nothing reserved.
        public var expectedTotal: Decimal?

        public init(items: [OrderItemRequest]?, paymentMethod: String?, currency: String, idempotencyKey: String?,
                    choices: CheckoutChoices = .none, expectedTotal: Decimal? = nil) {
            self.items = items
            self.paymentMethod = paymentMethod
            self.currency = currency
            self.idempotencyKey = idempotencyKey
            self.choices = choices
            self.expectedTotal = expectedTotal
        }

        /// Identifies the request body for idempotency: same key with another body is refused.
        var fingerprint: String {
            let items = (self.items ?? []).map(\.fingerprint).joined(separator: ",")
            let text = "\(self.items == nil ? "cart" : items)|\(paymentMethod ?? "")|\(choices.fingerprint)"
            return Hex.string(SHA256.hash(data: Data(text.utf8)))
        }
    }

    /// Places an order for the signed-in `actor`. With an `Idempotency-Key`, a retry returns the
    /// order the first request created (`replayed: true`) and never creates a second one; the same
    /// key with a different body is 422.
    public func place(in tenantID: UUID, _ request: Request, by actor: Actor) async throws -> (order: Order, replayed: Bool) {
        guard let customerID = actor.userID else { throw DomainError.unauthorized("Sign in first: a bearer token is required") }
        let paymentMethod = try Self.paymentMethod(request.paymentMethod)
        if let expected = request.expectedTotal, expected < 0 || expected.isNaN {
            throw DomainError.invalid("expectedTotal", "must be the quoted total, a non-negative amount")
        }
        let exponent = Currency.exponent(request.currency)
        let key = try request.idempotencyKey.map(Self.idempotencyKey)
        let requested = try request.items.map { try OrderItemRequest.parse($0, maximumLines: Self.maximumLines) }
        let fingerprint = request.fingerprint
        let timestamp = now()
        let cutoff = timestamp.addingTimeInterval(-reservationTTL)
        let choices = request.choices
        let setup = try await CheckoutSetup.current(in: tenantID, storage: storage, cache: cache)
        let result = try await storage.write(tenantID) { tx -> (order: Order, replayed: Bool, expired: Int) in
            if let key, let earlier = try tx.orders.order(customerID: customerID, idempotencyKey: key) {
                guard earlier.requestHash == fingerprint else {
                    throw DomainError.invalid("Idempotency-Key", "was already used for a different request")
                }
                return (earlier.order, true, 0)
            }
            // Stale reservations must not block this buyer, whether or not the sweeper ran yet.
            let expired = try Self.expire(tx, before: cutoff, at: timestamp, by: actor).count
            let fromCart = requested == nil
            let wanted: [OrderItemRequest.Parsed]
            if let requested {
                wanted = requested
            } else {
                wanted = try tx.carts.lines(userID: customerID).enumerated().map {
                    OrderItemRequest.Parsed(productID: $1.productID, variantID: $1.variantID, quantity: $1.quantity, index: $0)
                }
                guard !wanted.isEmpty else { throw DomainError.invalid("items", "the cart is empty") }
            }
            let limits = try OrderLimits.current(tx.settings)
            try Self.check(wanted.map(\.quantity), against: limits)
            if case .bool(true)? = try tx.settings.setting(MailSettings.requireVerifiedEmailKey)?.value, let buyer = try tx.users.user(id: customerID),
               buyer.role == .customer, buyer.emailVerifiedAt == nil {
                throw DomainError.forbidden("Confirm your e-mail address first: open the link we sent to \(buyer.email), or ask for a new one")
            }
            // Older pending orders were just expired above: the customer's holds are all newer than the cutoff.
            let pending = try tx.orders.pendingCount(customerID: customerID, since: cutoff, limit: limits.maxPendingPerCustomer)
            guard pending < limits.maxPendingPerCustomer else {
                throw DomainError.conflict("You already have \(pending) unpaid orders (at most \(limits.maxPendingPerCustomer)): pay or cancel one first")
            }
            let chosen = try Self.resolve(tx, wanted)
            try Self.check(chosen.map(\.quantity), against: limits)
            var lines: [OrderLine] = []
            var pricing: [PricingLine] = []
            var short: [FieldIssue] = []
            for (product, variant, quantity, _) in chosen {
                if try tx.catalog.reserve(variantID: variant.id, quantity: quantity) {
                    lines.append(OrderLine(productID: product.id, variantID: variant.id, sku: variant.sku, name: product.name, options: variant.options,
                                           quantity: quantity, unitPriceMinor: variant.priceMinor))
                    pricing.append(CartLine(product: product, variant: variant, quantity: quantity).pricing)
                } else {
                    let title = variant.title.isEmpty ? product.name : "\(product.name) (\(variant.title))"
                    short.append(FieldIssue(field: product.id.lowercased,
                                            message: "\(title): \(quantity) requested, \(max(0, variant.available)) available"))
                }
            }
            guard short.isEmpty else { throw DomainError.insufficientStock(short) }
            let context = try CheckoutPlanner.context(tx, setup: setup, choices: choices, customerID: customerID)
            let plan = try CheckoutPlanner.plan(tx, context: context, lines: pricing, choices: choices, customerID: customerID, at: timestamp, forOrder: true)
            if let expected = request.expectedTotal, Money.amount(plan.pricing.totals.totalMinor, exponent: exponent) != expected {
                // Thrown inside the transaction: the reservations above roll back with it.
                throw DomainError.priceChanged(plan.pricing.totals, currency: request.currency)
            }
            for (index, priced) in plan.pricing.lines.enumerated() {
                lines[index].discountMinor = priced.discountMinor
                lines[index].taxMinor = priced.taxMinor
            }
            let order = Order(
                id: TimeOrderedUUID.make(now: timestamp), number: try tx.orders.nextNumber(), status: .pending, customerID: customerID, paymentMethod: paymentMethod,
                currency: request.currency, lines: lines, history: [OrderEvent(status: .pending, at: timestamp, by: customerID)],
                totals: plan.pricing.totals, checkout: plan.checkout, createdAt: timestamp, updatedAt: timestamp
            )
            try tx.orders.insert(order, idempotency: key.map { ($0, fingerprint) })
            // Counted in this transaction: parallel buyers of a code's last uses get exactly what is left.
            for discount in plan.redeemable where !(try tx.discounts.redeem(discountID: discount.id, orderID: order.id, customerID: customerID, at: timestamp)) {
                throw DomainError.conflict("The code \(discount.code ?? discount.name) has been used up")
            }
            if fromCart { try tx.carts.clear(userID: customerID) }
            try tx.audit.record(AuditEntry("order.created", on: "order", id: order.id.lowercased, by: actor, new: order.auditValues, at: timestamp))
            try OrderMail.enqueue(for: order, tx, at: timestamp)
            return (order, false, expired)
        }
        if result.expired > 0 {
            cache.invalidate(tenant: tenantID)
        } else if !result.replayed {
            // Only the ordered products' availability changed: the rest of the storefront stays cached.
            cache.invalidate(tenant: tenantID, tags: Set(result.order.lines.map { CacheTag.product($0.productID) }).union([CacheTag.orders]))
        }
        return (result.order, result.replayed)
    }

    public func list(in tenantID: UUID, status: OrderStatus?, page: Page, by actor: Actor) async throws -> (orders: [Order], total: Int) {
        guard let userID = actor.userID else { throw DomainError.unauthorized("Sign in first: a bearer token is required") }
        let filter = OrderFilter(customerID: actor.permissions.contains(.ordersRead) ? nil : userID, status: status)
        return try await storage.read(tenantID) { tx in (try tx.orders.list(filter, page: page), try tx.orders.count(filter)) }
    }

    /// Staff with `orders:read` see every order; anyone else only their own — another customer's
    /// order is 404, so its existence does not leak.
    public func get(in tenantID: UUID, id: String, by actor: Actor) async throws -> Order {
        let order = try await storage.read(tenantID) { tx in try UUID(uuidString: id).flatMap { try tx.orders.order(id: $0) } }
        guard let order, Self.canSee(order, actor) else { throw DomainError.notFound("No order '\(id)'") }
        return order
    }

    /// Applies `action`. Staff with `orders:write` may do anything the state machine allows;
    /// a customer may only cancel their own pending order. An order paid through Stripe is moved
    /// only by Stripe's verified events and by `PaymentService` after Stripe gave the money back.
    public func transition(in tenantID: UUID, id: String, _ action: OrderAction, restock: Bool = false, shipment: Shipment? = nil,
                           by actor: Actor) async throws -> Order {
        try await transition(in: tenantID, id: id, action, restock: restock, shipment: shipment, by: actor, settledByProvider: false)
    }

    func transition(in tenantID: UUID, id: String, _ action: OrderAction, restock: Bool, shipment: Shipment? = nil, by actor: Actor,
                    settledByProvider: Bool) async throws -> Order {
        let timestamp = now()
        let order = try await storage.write(tenantID) { tx -> Order in
            guard let orderID = UUID(uuidString: id), let order = try tx.orders.order(id: orderID), Self.canSee(order, actor) else {
                throw DomainError.notFound("No order '\(id)'")
            }
            if !actor.permissions.contains(.ordersWrite) {
                guard action == .cancel, order.customerID == actor.userID else {
                    throw DomainError.forbidden("Requires the orders:write permission")
                }
                guard order.status == .pending else {
                    throw DomainError.invalidTransition(current: order.status.rawValue, action: action.rawValue)
                }
            }
            guard let target = action.target(from: order.status) else {
                throw DomainError.invalidTransition(current: order.status.rawValue, action: action.rawValue)
            }
            if order.isPaidThroughStripe, !settledByProvider {
                if action == .pay {
                    throw DomainError.conflict("Order \(order.number) is paid through Stripe: it becomes paid when Stripe confirms the payment")
                }
                if order.status != .pending, target == .cancelled || target == .refunded {
                    throw DomainError.conflict("Order \(order.number) was paid through Stripe: its money goes back through Stripe first")
                }
            }
            return try Self.move(tx, order, to: target, restock: restock, by: actor, at: timestamp, shipment: shipment)
        }
        cache.invalidate(tenant: tenantID)
        return order
    }

    /// Moves `order` to `target` inside `tx`: stock, history, the invoice number when it is paid,
    /// and the audit entry. The caller has checked that the state machine allows it.
    static func move(_ tx: any TenantTransaction, _ order: Order, to target: OrderStatus, restock: Bool, by actor: Actor, at timestamp: Date,
                     shipment: Shipment? = nil) throws -> Order {
        var order = order
        try applyInventory(tx, order: order, from: order.status, to: target, restock: restock)
        let event = OrderEvent(status: target, at: timestamp, by: actor.userID)
        try tx.orders.update(status: target, of: order.id, event: event)
        if target == .paid, order.invoiceNumber == nil {
            // Given inside the paying transaction: numbers are sequential per shop, without gaps.
            let number = try tx.orders.nextInvoiceNumber()
            try tx.orders.setInvoiceNumber(number, of: order.id)
            order.invoiceNumber = number
        }
        let before = order.auditValues
        order.status = target
        order.history.append(event)
        order.updatedAt = timestamp
        var after = order.auditValues
        if target == .refunded, case .object(var values) = after {
            values["restocked"] = .bool(restock)
            after = .object(values)
        }
        if target == .shipped, let shipment, case .object(var values) = after {
            values.merge(shipment.facts) { $1 }
            after = .object(values)
        }
        try tx.audit.record(AuditEntry("order.\(target.rawValue)", on: "order", id: order.id.lowercased, by: actor, old: before, new: after, at: timestamp))
        try OrderMail.enqueue(for: order, tx, at: timestamp, extra: target == .shipped ? shipment?.facts ?? [:] : [:])
        return order
    }

    /// Cancels pending orders older than `ORDER_RESERVATION_TTL` and releases their stock.
    /// Returns how many were cancelled.
    @discardableResult
    public func expireReservations(in tenantID: UUID) async throws -> Int {
        try await expireUnpaid(in: tenantID).count
    }

    /// As `expireReservations`, answering the orders it cancelled (as they were before), so the
    /// payments they had started can be called off (`PaymentService.expireUnpaid`).
    public func expireUnpaid(in tenantID: UUID) async throws -> [Order] {
        let timestamp = now()
        let cutoff = timestamp.addingTimeInterval(-reservationTTL)
        let expired = try await storage.write(tenantID) { tx in try Self.expire(tx, before: cutoff, at: timestamp, by: Self.sweeper) }
        if !expired.isEmpty { cache.invalidate(tenant: tenantID) }
        return expired
    }

    /// Who expires stale unpaid orders, in the audit log.
    static let sweeper = Actor(userID: nil, role: nil, permissions: [], ip: nil, userAgent: "reservation-sweeper")

    @discardableResult
    static func expire(_ tx: any TenantTransaction, before cutoff: Date, at timestamp: Date, by actor: Actor) throws -> [Order] {
        let stale = try tx.orders.pendingOrders(before: cutoff, limit: 500)
        for order in stale {
            try applyInventory(tx, order: order, from: .pending, to: .cancelled, restock: false)
            try tx.orders.update(status: .cancelled, of: order.id, event: OrderEvent(status: .cancelled, at: timestamp, by: nil))
            try tx.audit.record(AuditEntry("order.expired", on: "order", id: order.id.lowercased, by: actor, old: order.auditValues,
                                           new: .object(["status": .string("cancelled")]), at: timestamp))
            var cancelled = order
            cancelled.status = .cancelled
            try OrderMail.enqueue(for: cancelled, tx, at: timestamp)
        }
        return stale
    }

    /// The stock effects of one transition, per line.
    static func applyInventory(_ tx: any TenantTransaction, order: Order, from: OrderStatus, to: OrderStatus, restock: Bool) throws {
        for line in order.lines {
            // A line of a product that vanished before variants existed has no stock left to move.
            guard let variant = line.variantID else { continue }
            let q = line.quantity
            switch (from, to) {
            case (.pending, .paid): try tx.catalog.adjust(variantID: variant, stock: -q, reserved: -q, sales: q)
            case (.pending, .cancelled): try tx.catalog.adjust(variantID: variant, stock: 0, reserved: -q, sales: 0)
            case (.paid, .cancelled): try tx.catalog.adjust(variantID: variant, stock: q, reserved: 0, sales: -q)
            case (_, .refunded): try tx.catalog.adjust(variantID: variant, stock: restock ? q : 0, reserved: 0, sales: -q)
            default: break
            }
        }
        // An unpaid order that is cancelled or expires gives its coupon uses back.
        if from == .pending, to == .cancelled, !order.checkout.discounts.isEmpty { try tx.discounts.release(orderID: order.id) }
    }

    static func canSee(_ order: Order, _ actor: Actor) -> Bool {
        actor.permissions.contains(.ordersRead) || (actor.userID != nil && order.customerID == actor.userID)
    }

    /// The products and variants of the requested lines, each active; lines that name the same
    /// variant become one.
    static func resolve(_ tx: any TenantTransaction, _ wanted: [OrderItemRequest.Parsed]) throws
        -> [(product: Product, variant: ProductVariant, quantity: Int, index: Int)] {
        try OrderItemRequest.combine(wanted.map { item in
            guard let product = try tx.catalog.product(reference: item.productID.lowercased), product.status == .active else {
                throw DomainError.invalid("items[\(item.index)].productId", "this product is not available")
            }
            return (product, try product.variant(item.variantID, field: "items[\(item.index)].variantId"), item.quantity, item.index)
        })
    }

    /// The shop's caps on one order: lines, and units per line (`OrderLimits`).
    static func check(_ quantities: [Int], against limits: OrderLimits) throws {
        guard quantities.count <= limits.maxLinesPerOrder else {
            throw DomainError.invalid("items", "at most \(limits.maxLinesPerOrder) different products per order in this shop")
        }
        if let index = quantities.firstIndex(where: { $0 > limits.maxUnitsPerLine }) {
            throw DomainError.invalid("items[\(index)].quantity", "at most \(limits.maxUnitsPerLine) units of one product per order in this shop")
        }
    }

    static func paymentMethod(_ raw: String?) throws -> String {
        let value = (raw ?? "manual").trimmingCharacters(in: .whitespaces).lowercased()
        guard (1...40).contains(value.count), value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw DomainError.invalid("paymentMethod", "must be 1 to 40 letters, digits, '_' or '-'")
        }
        return value
    }

    static func idempotencyKey(_ raw: String) throws -> String {
        guard (1...255).contains(raw.count), raw.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw DomainError.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters")
        }
        return raw
    }
}
