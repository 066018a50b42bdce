import Foundation

/// Calling off payments nobody will make: when an unpaid Stripe order expires or is cancelled, its
/// PaymentIntent is cancelled at Stripe, so the customer's open payment page can no longer charge
/// for stock that went back on the shelf. Should the customer pay in the meantime, the webhook of
/// that payment refunds it (`receiveStripeEvent`), as before.
extension PaymentService {
    /// The reservation sweep: cancels the shop's stale unpaid orders (`OrderService.expireUnpaid`),
    /// then the Stripe payments they had started, each audited. Returns how many orders expired.
    @discardableResult
    public func expireUnpaid(in tenantID: UUID, orders: OrderService) async throws -> Int {
        let expired = try await orders.expireUnpaid(in: tenantID)
        let started = expired.filter { $0.isPaidThroughStripe && $0.paymentReference != nil }
        guard !started.isEmpty else { return expired.count }
        let box = self.box
        let secretKey = try await storage.read(tenantID) { tx in try Self.secret(tx, PaymentSettings.stripeSecretKey, box) }
        for order in started {
            _ = try? await callOff(order, secretKey: secretKey, in: tenantID, by: OrderService.sweeper)
        }
        return expired.count
    }

    /// Cancels the payment of `order` at Stripe and audits the outcome (`payment.cancelled`, or
    /// `payment.cancel_failed` with the reason). Rethrows the failure for callers that must stop.
    func callOff(_ order: Order, secretKey: String?, in tenantID: UUID, by actor: Actor) async throws {
        guard let reference = order.paymentReference else { return }
        let timestamp = now()
        let entry: AuditEntry
        var failure: (any Error)?
        do {
            let status = try await stripeProvider(secretKey: secretKey, publishableKey: nil).cancel(reference: reference, orderID: order.id)
            entry = AuditEntry("payment.cancelled", on: "order", id: order.id.lowercased, by: actor,
                               new: .object(["provider": .string("stripe"), "reference": .string(reference), "status": .string(status)]), at: timestamp)
        } catch {
            failure = error
            entry = AuditEntry("payment.cancel_failed", on: "order", id: order.id.lowercased, by: actor,
                               new: .object(["reference": .string(reference), "error": .string(String(describing: error).prefix(500).description)]),
                               at: timestamp)
        }
        try await storage.write(tenantID) { tx in try tx.audit.record(entry) }
        if let failure { throw failure }
    }

    /// `cancel` of a pending order whose Stripe payment was started: the PaymentIntent is cancelled
    /// first, by someone who may cancel the order (its customer, or staff with `orders:write`); if
    /// Stripe refuses (the customer is paying right now) the order stays as it is.
    func cancelPendingStripeOrder(in tenantID: UUID, id: String, by actor: Actor) async throws {
        let box = self.box
        let found = try await storage.read(tenantID) { tx -> (Order, String?)? in
            guard let orderID = UUID(uuidString: id), let order = try tx.orders.order(id: orderID), order.status == .pending,
                  order.isPaidThroughStripe, order.paymentReference != nil,
                  actor.permissions.contains(.ordersWrite) || (actor.userID != nil && order.customerID == actor.userID) else { return nil }
            return (order, try Self.secret(tx, PaymentSettings.stripeSecretKey, box))
        }
        guard let (order, secretKey) = found else { return }
        do {
            try await callOff(order, secretKey: secretKey, in: tenantID, by: actor)
        } catch DomainError.conflict {
            throw DomainError.conflict("Order \(order.number)'s payment is already going through at Stripe: wait for it, then refund the order")
        }
    }
}
