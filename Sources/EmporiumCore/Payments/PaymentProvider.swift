import Foundation

/// What a shop asks its payment provider to collect for one order. The amount is the order's
/// frozen total in the currency's minor units; it never comes from the client.
public struct PaymentStart: Sendable, Equatable {
    public var orderID: UUID
    public var orderNumber: Int
    public var amountMinor: Int
    /// ISO 4217, upper case as the shop stores it.
    public var currency: String

    public init(orderID: UUID, orderNumber: Int, amountMinor: Int, currency: String) {
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.amountMinor = amountMinor
        self.currency = currency
    }
}

/// What the customer's browser needs to pay: instructions for a manual payment, or the Stripe
/// PaymentIntent's client secret and the shop's publishable key.
public struct PaymentSession: Sendable, Equatable {
    public var provider: PaymentProviderKind
    /// The provider's id of the payment (a PaymentIntent id), nil for manual payments.
    public var reference: String?
    public var clientSecret: String?
    public var publishableKey: String?
    public var instructions: String?
    public var amountMinor: Int
    public var currency: String

    public init(provider: PaymentProviderKind, reference: String? = nil, clientSecret: String? = nil, publishableKey: String? = nil,
                instructions: String? = nil, amountMinor: Int, currency: String) {
        self.provider = provider
        self.reference = reference
        self.clientSecret = clientSecret
        self.publishableKey = publishableKey
        self.instructions = instructions
        self.amountMinor = amountMinor
        self.currency = currency
    }
}

/// The provider's answer to a refund: its id for the refund and whether the money is on its way.
public struct RefundOutcome: Sendable, Equatable {
    public var reference: String
    /// The provider's own status word (`succeeded`, `pending`, …).
    public var status: String

    public init(reference: String, status: String) {
        self.reference = reference
        self.status = status
    }
}

/// The payment providers a shop can choose with the `payments.provider` setting.
public enum PaymentProviderKind: String, Sendable, Codable, CaseIterable {
    /// Bank transfer or cash on delivery: staff mark the order paid when the money arrives.
    case manual
    /// Stripe PaymentIntents: the order is paid only when a verified Stripe webhook says so.
    case stripe
}

/// One way of taking money. Implementations talk to the provider; the order's state is never
/// moved here but by `PaymentService`, from a verified confirmation.
public protocol PaymentProvider: Sendable {
    var kind: PaymentProviderKind { get }
    /// Starts collecting `payment`. Called again for the same order, it answers the same payment
    /// (the provider's idempotency key is derived from the order id).
    func start(_ payment: PaymentStart) async throws -> PaymentSession
    /// Gives back `amountMinor` of the payment `reference`; idempotent per order.
    func refund(reference: String, orderID: UUID, amountMinor: Int) async throws -> RefundOutcome
    /// Calls off the unpaid payment `reference` of an order that was cancelled or expired, so the
    /// customer can no longer pay it; answers the provider's status. Idempotent per order.
    func cancel(reference: String, orderID: UUID) async throws -> String
}
