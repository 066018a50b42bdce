import EmporiumCore
import Foundation

/// `POST /orders/{id}/payment`: what the storefront needs to take the money.
struct PaymentSessionDTO: Encodable, Sendable {
    let provider: String
    let amount: Decimal
    let currency: String
    let reference: String?
    /// Stripe only: what Stripe.js confirms the PaymentIntent with. Shown to the order's customer alone.
    let clientSecret: String?
    let publishableKey: String?
    /// Manual only: how to pay (bank details, cash on delivery).
    let instructions: String?

    init(_ session: PaymentSession) {
        provider = session.provider.rawValue
        amount = Amounts(currency: session.currency)(session.amountMinor)
        currency = session.currency
        reference = session.reference
        clientSecret = session.clientSecret
        publishableKey = session.publishableKey
        instructions = session.instructions
    }
}

/// `POST /payments/stripe/webhook`: what the delivery did, for Stripe's dashboard and the logs.
struct WebhookReceiptDTO: Encodable, Sendable {
    let received: Bool
    let eventId: String
    let type: String
    let outcome: String
    let duplicate: Bool

    init(_ receipt: PaymentService.WebhookReceipt) {
        received = true
        eventId = receipt.eventID
        type = receipt.type
        outcome = receipt.outcome
        duplicate = receipt.duplicate
    }
}
