import Foundation

/// Bank transfer, cash on delivery and the like: nothing is sent anywhere. The customer sees the
/// shop's instructions (setting `payments.manual.instructions`) and staff mark the order paid
/// (`POST /orders/{id}/pay`) when the money is in.
public struct ManualPaymentProvider: PaymentProvider {
    public static let defaultInstructions = "Pay by bank transfer quoting your order number; we ship when the money arrives."

    public let instructions: String

    public init(instructions: String?) {
        let trimmed = instructions?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.instructions = trimmed.isEmpty ? Self.defaultInstructions : trimmed
    }

    public var kind: PaymentProviderKind { .manual }

    public func start(_ payment: PaymentStart) async throws -> PaymentSession {
        PaymentSession(provider: .manual, instructions: "Order \(payment.orderNumber): \(instructions)",
                       amountMinor: payment.amountMinor, currency: payment.currency)
    }

    /// The money goes back the way it came, by hand: nothing to call.
    public func refund(reference: String, orderID: UUID, amountMinor: Int) async throws -> RefundOutcome {
        RefundOutcome(reference: reference, status: "manual")
    }

    /// Nothing was started anywhere: nothing to call off.
    public func cancel(reference: String, orderID: UUID) async throws -> String {
        "manual"
    }
}
