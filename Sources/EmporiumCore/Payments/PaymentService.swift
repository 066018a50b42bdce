import Foundation

/// Taking the money for orders through the shop's provider (`payments.provider`). The rules:
/// the amount is always the order's frozen total; an order paid through Stripe becomes paid only
/// from a webhook whose signature verified and whose amount and currency match; each event is
/// handled once (its id is recorded in the same transaction that moves the order); the money of a
/// Stripe order goes back through Stripe before the order is refunded or cancelled; and a payment
/// that arrives after the order expired (its stock already released) is refunded at once.
public struct PaymentService: Sendable {
    let storage: any TenantStorage
    let box: SecretBox
    let cache: MemoryCache
    let transport: any PaymentHTTPTransport
    let stripeBaseURL: String
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, box: SecretBox, cache: MemoryCache, transport: any PaymentHTTPTransport, stripeBaseURL: String,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.box = box
        self.cache = cache
        self.transport = transport
        self.stripeBaseURL = stripeBaseURL
        self.now = now
    }

    /// What one webhook delivery did; `duplicate` when the event had been handled before.
    public struct WebhookReceipt: Sendable, Equatable {
        public var eventID: String
        public var type: String
        public var outcome: String
        public var duplicate: Bool
    }

    static let webhookActor = Actor(userID: nil, role: nil, permissions: [], ip: nil, userAgent: "stripe-webhook")

    /// `POST /orders/{id}/payment`: starts paying a pending order with the shop's provider. The
    /// order's customer (or staff with `orders:write`) may call it again: Stripe answers the same
    /// PaymentIntent for the same order.
    public func start(in tenantID: UUID, orderID: String, by actor: Actor) async throws -> PaymentSession {
        guard actor.userID != nil else { throw DomainError.unauthorized("Sign in first: a bearer token is required") }
        let box = self.box
        let (order, settings, secretKey) = try await storage.read(tenantID) { tx -> (Order, PaymentSettings, String?) in
            guard let id = UUID(uuidString: orderID), let order = try tx.orders.order(id: id), OrderService.canSee(order, actor) else {
                throw DomainError.notFound("No order '\(orderID)'")
            }
            guard order.customerID == actor.userID || actor.permissions.contains(.ordersWrite) else {
                throw DomainError.forbidden("Only the customer who placed order \(order.number) can pay it")
            }
            guard order.status == .pending else {
                throw DomainError.conflict("Order \(order.number) is \(order.status.rawValue): only a pending order can be paid")
            }
            let settings = try PaymentSettings.current(tx.settings)
            let secret = settings.provider == .stripe ? try Self.secret(tx, PaymentSettings.stripeSecretKey, box) : nil
            return (order, settings, secret)
        }
        let provider = try provider(settings, secretKey: secretKey)
        let session = try await provider.start(PaymentStart(orderID: order.id, orderNumber: order.number, amountMinor: order.totalMinor,
                                                            currency: order.currency))
        guard provider.kind == .stripe, let reference = session.reference else { return session }
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            guard let current = try tx.orders.order(id: order.id), current.status == .pending else {
                // Expired while Stripe answered: the customer never gets the secret, so never pays.
                throw DomainError.conflict("Order \(order.number) is no longer pending: place it again")
            }
            guard current.paymentReference != reference else { return }
            try tx.orders.setPayment(provider: .stripe, reference: reference, of: order.id)
            try tx.audit.record(AuditEntry("payment.started", on: "order", id: order.id.lowercased, by: actor,
                                           new: .object(["provider": .string("stripe"), "reference": .string(reference),
                                                         "amountMinor": .number(Double(order.totalMinor))]), at: timestamp))
        }
        return session
    }

    /// `refund` and `cancel` of an order: an order paid through Stripe has its money given back
    /// through Stripe first (idempotent per order), then moves in one transaction with the audit
    /// of the refund. Every other order moves as `OrderService.transition` moves it.
    public func transition(in tenantID: UUID, id: String, _ action: OrderAction, restock: Bool, shipment: Shipment? = nil, orders: OrderService,
                           by actor: Actor) async throws -> Order {
        let box = self.box
        let found = try await storage.read(tenantID) { tx -> (Order, String?)? in
            guard actor.permissions.contains(.ordersWrite), action == .refund || action == .cancel,
                  let orderID = UUID(uuidString: id), let order = try tx.orders.order(id: orderID),
                  order.isPaidThroughStripe, order.status != .pending, order.paymentReference != nil else { return nil }
            return (order, try Self.secret(tx, PaymentSettings.stripeSecretKey, box))
        }
        guard let (order, secretKey) = found, let reference = order.paymentReference else {
            if action == .cancel { try await cancelPendingStripeOrder(in: tenantID, id: id, by: actor) }
            return try await orders.transition(in: tenantID, id: id, action, restock: restock, shipment: shipment, by: actor)
        }
        guard let target = action.target(from: order.status) else {
            throw DomainError.invalidTransition(current: order.status.rawValue, action: action.rawValue)
        }
        let stripe = try stripeProvider(secretKey: secretKey, publishableKey: nil)
        let refund = try await stripe.refund(reference: reference, orderID: order.id, amountMinor: order.totalMinor)
        let timestamp = now()
        let moved = try await storage.write(tenantID) { tx -> Order in
            guard let current = try tx.orders.order(id: order.id) else { throw DomainError.notFound("No order '\(id)'") }
            // A charge.refunded webhook may have moved it while Stripe answered us.
            guard action.target(from: current.status) == target else { return current }
            let moved = try OrderService.move(tx, current, to: target, restock: restock, by: actor, at: timestamp)
            try tx.audit.record(AuditEntry("payment.refunded", on: "order", id: order.id.lowercased, by: actor,
                                           new: Self.refundAudit(refund, amountMinor: order.totalMinor), at: timestamp))
            return moved
        }
        cache.invalidate(tenant: tenantID)
        return moved
    }

    /// `POST /payments/stripe/webhook`: verifies the signature against the shop's webhook secret,
    /// then handles the event once. A bad or stale signature is 400 and changes nothing.
    public func receiveStripeEvent(in tenantID: UUID, payload: Data, signature: String?) async throws -> WebhookReceipt {
        let box = self.box
        let (webhookSecret, secretKey) = try await storage.read(tenantID) { tx in
            (try Self.secret(tx, PaymentSettings.stripeWebhookSecretKey, box), try Self.secret(tx, PaymentSettings.stripeSecretKey, box))
        }
        guard let webhookSecret else {
            // Not a fault of ours: this shop has no Stripe endpoint to deliver to.
            throw DomainError.notFound("This shop does not take Stripe payments: payments.stripe.webhookSecret is not set")
        }
        let timestamp = now()
        do {
            try StripeSignature.verify(payload: payload, header: signature, secret: webhookSecret, now: timestamp)
        } catch {
            throw DomainError.badRequest("Stripe-Signature: \(error)", details: [FieldIssue(field: "Stripe-Signature", message: error.description)])
        }
        let event = try StripeEvent.parse(payload)
        let handled = try await storage.write(tenantID) { tx -> (receipt: WebhookReceipt, late: Order?, moved: Bool) in
            guard !(try tx.paymentEvents.seen(provider: .stripe, eventID: event.id)) else {
                return (WebhookReceipt(eventID: event.id, type: event.type, outcome: "duplicate", duplicate: true), nil, false)
            }
            let result = try Self.apply(event, tx, at: timestamp)
            try tx.paymentEvents.record(provider: .stripe, eventID: event.id, type: event.type, orderID: result.order?.id,
                                        outcome: result.outcome, at: timestamp)
            return (WebhookReceipt(eventID: event.id, type: event.type, outcome: result.outcome, duplicate: false),
                    result.outcome == "late-refund" ? result.order : nil, result.moved)
        }
        if handled.moved { cache.invalidate(tenant: tenantID) }
        if let late = handled.late, let reference = late.paymentReference {
            try await refundLatePayment(late, reference: reference, secretKey: secretKey, in: tenantID)
        }
        return handled.receipt
    }

    /// What one verified, first-seen event does inside the webhook's transaction.
    static func apply(_ event: StripeEvent, _ tx: any TenantTransaction, at timestamp: Date) throws -> (outcome: String, order: Order?, moved: Bool) {
        let actor = webhookActor
        switch event.kind {
        case .paymentSucceeded(let intent, let amount, let currency, let orderID):
            guard let order = try tx.orders.order(paymentReference: intent) else {
                try tx.audit.record(AuditEntry("payment.unmatched", on: "payment", id: intent, by: actor,
                                               new: .object(["orderId": orderID.map { .string($0.lowercased) } ?? .null,
                                                             "amountMinor": .number(Double(amount)), "currency": .string(currency)]), at: timestamp))
                return ("unmatched", nil, false)
            }
            guard amount == order.totalMinor, currency == order.currency else {
                try tx.audit.record(AuditEntry("payment.mismatch", on: "order", id: order.id.lowercased, by: actor,
                                               new: .object(["expectedMinor": .number(Double(order.totalMinor)), "expectedCurrency": .string(order.currency),
                                                             "receivedMinor": .number(Double(amount)), "receivedCurrency": .string(currency),
                                                             "reference": .string(intent)]), at: timestamp))
                return ("mismatch", order, false)
            }
            switch order.status {
            case .pending:
                return ("paid", try OrderService.move(tx, order, to: .paid, restock: false, by: actor, at: timestamp), true)
            case .cancelled:
                // Its stock went back to the shelf when it expired: the money goes back too.
                try tx.audit.record(AuditEntry("payment.late", on: "order", id: order.id.lowercased, by: actor,
                                               new: .object(["reference": .string(intent), "amountMinor": .number(Double(amount))]), at: timestamp))
                return ("late-refund", order, false)
            default:
                return ("already-paid", order, false)
            }
        case .paymentFailed(let intent, let message):
            guard let order = try tx.orders.order(paymentReference: intent) else { return ("unmatched", nil, false) }
            try tx.audit.record(AuditEntry("payment.failed", on: "order", id: order.id.lowercased, by: actor,
                                           new: .object(["reference": .string(intent), "message": message.map { .string(String($0.prefix(500))) } ?? .null]),
                                           at: timestamp))
            return ("failed", order, false)
        case .refunded(let intent, let refunded, let amount):
            guard let order = try tx.orders.order(paymentReference: intent) else { return ("unmatched", nil, false) }
            guard refunded >= amount else {
                try tx.audit.record(AuditEntry("payment.partially_refunded", on: "order", id: order.id.lowercased, by: actor,
                                               new: .object(["refundedMinor": .number(Double(refunded)), "amountMinor": .number(Double(amount))]),
                                               at: timestamp))
                return ("partial-refund", order, false)
            }
            guard OrderAction.refund.target(from: order.status) != nil else { return ("already-refunded", order, false) }
            return ("refunded", try OrderService.move(tx, order, to: .refunded, restock: false, by: actor, at: timestamp), true)
        case .other:
            return ("ignored", nil, false)
        }
    }

    /// Gives back a payment that arrived for an expired order. A failure is left in the audit log
    /// for staff (the event is recorded as handled, so Stripe's retries do not repeat it).
    private func refundLatePayment(_ order: Order, reference: String, secretKey: String?, in tenantID: UUID) async throws {
        let timestamp = now()
        let entry: AuditEntry
        do {
            let stripe = try stripeProvider(secretKey: secretKey, publishableKey: nil)
            let refund = try await stripe.refund(reference: reference, orderID: order.id, amountMinor: order.totalMinor)
            entry = AuditEntry("payment.refunded", on: "order", id: order.id.lowercased, by: Self.webhookActor,
                               new: Self.refundAudit(refund, amountMinor: order.totalMinor), at: timestamp)
        } catch {
            entry = AuditEntry("payment.refund_failed", on: "order", id: order.id.lowercased, by: Self.webhookActor,
                               new: .object(["reference": .string(reference), "error": .string(String(describing: error).prefix(500).description)]),
                               at: timestamp)
        }
        try await storage.write(tenantID) { tx in try tx.audit.record(entry) }
    }

    static func refundAudit(_ refund: RefundOutcome, amountMinor: Int) -> JSONValue {
        .object(["provider": .string("stripe"), "refund": .string(refund.reference), "status": .string(refund.status),
                 "amountMinor": .number(Double(amountMinor))])
    }

    func provider(_ settings: PaymentSettings, secretKey: String?) throws -> any PaymentProvider {
        switch settings.provider {
        case .manual: return ManualPaymentProvider(instructions: settings.manualInstructions)
        case .stripe: return try stripeProvider(secretKey: secretKey, publishableKey: settings.stripePublishableKey)
        }
    }

    func stripeProvider(secretKey: String?, publishableKey: String?) throws -> StripePaymentProvider {
        guard let secretKey else {
            throw DomainError.unavailable("Stripe is not set up for this shop: payments.stripe.secretKey is missing")
        }
        return StripePaymentProvider(secretKey: secretKey, publishableKey: publishableKey, baseURL: stripeBaseURL, transport: transport)
    }

    /// An encrypted payment setting, opened for the server's own use; nil when not set.
    static func secret(_ tx: any TenantTransaction, _ key: String, _ box: SecretBox) throws -> String? {
        guard let stored = try tx.settings.setting(key) else { return nil }
        guard stored.isEncrypted, case .string(let sealed) = stored.value else {
            if case .string(let plain) = stored.value { return plain }
            return nil
        }
        let opened: String
        do { opened = try box.open(sealed) } catch {
            throw DomainError.unavailable("\(key) cannot be opened with this server's ENCRYPTION_KEY: store it again")
        }
        guard case .string(let value) = try JSONValue.parse(opened) else { return nil }
        return value
    }
}
