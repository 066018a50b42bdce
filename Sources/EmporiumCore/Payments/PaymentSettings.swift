import Foundation

/// The shop's payment settings (`PUT /settings/payments.…`). Stripe's secret key and webhook
/// signing secret must be stored encrypted (`"encrypted": true`): a plain one is refused, so a
/// copy of the shop file never carries them in clear.
public struct PaymentSettings: Sendable, Equatable {
    public static let providerKey = "payments.provider"
    public static let manualInstructionsKey = "payments.manual.instructions"
    public static let stripeSecretKey = "payments.stripe.secretKey"
    public static let stripeWebhookSecretKey = "payments.stripe.webhookSecret"
    public static let stripePublishableKey = "payments.stripe.publishableKey"

    public var provider: PaymentProviderKind
    public var manualInstructions: String?
    public var stripePublishableKey: String?

    /// The shop's choice, `manual` where nothing (or nothing valid) is set.
    static func current(_ settings: any SettingsRepository) throws -> PaymentSettings {
        var provider = PaymentProviderKind.manual
        if case .string(let raw)? = try settings.setting(providerKey)?.value, let kind = PaymentProviderKind(rawValue: raw) { provider = kind }
        var instructions: String?
        if case .string(let text)? = try settings.setting(manualInstructionsKey)?.value { instructions = text }
        var publishable: String?
        if case .string(let key)? = try settings.setting(stripePublishableKey)?.value { publishable = key }
        return PaymentSettings(provider: provider, manualInstructions: instructions, stripePublishableKey: publishable)
    }

    /// Refuses, with a 422 naming what is expected, a value `PUT /settings/{key}` would store for
    /// one of these keys; other keys pass.
    static func validate(key: String, value: JSONValue, encrypted: Bool) throws {
        switch key {
        case providerKey:
            guard !encrypted, case .string(let raw) = value, PaymentProviderKind(rawValue: raw) != nil else {
                throw DomainError.invalid("value", "\(key) must be one of \(PaymentProviderKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        case manualInstructionsKey:
            guard !encrypted, case .string(let text) = value, (1...2000).contains(text.count) else {
                throw DomainError.invalid("value", "\(key) must be text of 1 to 2,000 characters")
            }
        case stripeSecretKey:
            try requireKey(key, value, prefixes: ["sk_", "rk_"])
            guard encrypted else { throw DomainError.invalid("encrypted", "\(key) must be stored encrypted (\"encrypted\": true)") }
        case stripeWebhookSecretKey:
            try requireKey(key, value, prefixes: ["whsec_"])
            guard encrypted else { throw DomainError.invalid("encrypted", "\(key) must be stored encrypted (\"encrypted\": true)") }
        case stripePublishableKey:
            try requireKey(key, value, prefixes: ["pk_"])
            guard !encrypted else { throw DomainError.invalid("encrypted", "\(key) is public (the browser needs it): store it unencrypted") }
        default:
            return
        }
    }

    private static func requireKey(_ key: String, _ value: JSONValue, prefixes: [String]) throws {
        guard case .string(let text) = value, (8...255).contains(text.utf8.count), prefixes.contains(where: text.hasPrefix),
              text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw DomainError.invalid("value", "\(key) must be a Stripe key starting with \(prefixes.joined(separator: " or "))")
        }
    }
}
