import Foundation

/// A way to pay that the shop has actually set up, as its checkout offers it: the card form when
/// Stripe is configured (secret and publishable key), else the shop's manual instructions (bank
/// transfer, cash on delivery, whatever they say). A checkout never offers "Card" to a shop that
/// cannot take cards.
public struct PaymentMethodOffer: Sendable, Equatable {
    /// What `POST /orders` records as `paymentMethod`.
    public var id: String
    public var label: String
    /// The manual provider's instructions, shown before the order is placed.
    public var instructions: String?

    public init(id: String, label: String, instructions: String? = nil) {
        self.id = id
        self.label = label
        self.instructions = instructions
    }

    /// The offers for these settings. Stripe chosen without both keys cannot take a card (`start`
    /// would fail), so the checkout offers the manual instructions until the keys are there.
    static func offers(_ settings: PaymentSettings, stripeSecretSet: Bool) -> [PaymentMethodOffer] {
        if settings.provider == .stripe, stripeSecretSet, settings.stripePublishableKey != nil {
            return [PaymentMethodOffer(id: "card", label: "Card")]
        }
        let instructions = ManualPaymentProvider(instructions: settings.manualInstructions).instructions
        let custom = !(settings.manualInstructions?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true)
        return [PaymentMethodOffer(id: custom ? "manual" : "bank_transfer", label: custom ? "Pay as the shop describes" : "Bank transfer",
                                   instructions: instructions)]
    }
}

extension PaymentService {
    /// What the shop's checkout offers now (cached; a settings change drops it with the checkout setup).
    public func offeredMethods(in tenantID: UUID) async throws -> [PaymentMethodOffer] {
        let storage = self.storage
        return try await cache.fetch([PaymentMethodOffer].self, tenant: tenantID, key: "payments:offers", cost: { _ in 512 },
                                    tags: { _ in [CacheTag.checkoutSetup] }) {
            try await storage.read(tenantID) { tx in
                let settings = try PaymentSettings.current(tx.settings)
                return PaymentMethodOffer.offers(settings, stripeSecretSet: try tx.settings.setting(PaymentSettings.stripeSecretKey) != nil)
            }
        }
    }
}
