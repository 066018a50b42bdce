import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let stripeSignature = Self("Stripe-Signature")!
}

/// Paying for orders: the customer starts a payment with the shop's provider, and Stripe tells
/// the shop, through a signed webhook, that the money arrived (or went back).
struct PaymentController {
    let payments: PaymentService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.post("orders/{id}/payment", use: start)
            .post("payments/stripe/webhook", use: stripeWebhook)
    }

    @Sendable func start(_ request: Request, context: TenantRequestContext) async throws -> Envelope<PaymentSessionDTO> {
        _ = try context.requireUser()
        let session = try await payments.start(in: context.tenant.id, orderID: try context.parameters.require("id"), by: context.actor)
        return Envelope(PaymentSessionDTO(session))
    }

    /// The shop is the one the request is addressed to (its host name or `X-Tenant-ID`), as for
    /// every shop route; the signature under that shop's webhook secret is the only credential.
    /// The body is verified as received, byte for byte, before it is parsed.
    @Sendable func stripeWebhook(_ request: Request, context: TenantRequestContext) async throws -> Envelope<WebhookReceiptDTO> {
        let buffer = try await Request.collect(request.body, upTo: context.maxUploadSize)
        let receipt = try await payments.receiveStripeEvent(in: context.tenant.id, payload: Data(buffer.readableBytesView),
                                                            signature: request.headers[.stripeSignature])
        return Envelope(WebhookReceiptDTO(receipt))
    }
}
