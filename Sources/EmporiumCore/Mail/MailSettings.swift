import Foundation

/// A shop's mail settings (`PUT /settings/{key}`): how its messages are signed and where their
/// links point. The box's transport and sender address are configured once (`MAIL_URL`, `MAIL_FROM`).
public struct MailSettings: Sendable, Equatable {
    /// `mail.senderName`: the display name on `From` (the address is `MAIL_FROM`'s); the shop's name when unset.
    public static let senderNameKey = "mail.senderName"
    /// `mail.replyTo`: where customers' answers go.
    public static let replyToKey = "mail.replyTo"
    /// `mail.linkBaseURL`: the shop's public address for links, e.g. `https://shop.example.com`.
    public static let linkBaseURLKey = "mail.linkBaseURL"
    /// `auth.requireVerifiedEmail`: customers confirm their address before they can order.
    public static let requireVerifiedEmailKey = "auth.requireVerifiedEmail"
    /// Which variants the last low-stock digest named (`LowStockDigest`), kept by the digest itself.
    public static let lowStockReportedKey = "mail.lowStockReported"
    /// `mail.staffAlerts`: which staff get which alert, `{userId: ["staff.new_order", …]}`; each
    /// person opts in for themselves (`PUT /auth/me/mail-alerts`).
    public static let staffAlertsKey = "mail.staffAlerts"

    public var senderName: String?
    public var replyTo: MailAddress?
    public var linkBaseURL: String?

    public static func current(_ settings: any SettingsRepository) throws -> MailSettings {
        func string(_ key: String) throws -> String? {
            if case .string(let value)? = try settings.setting(key).flatMap({ $0.isEncrypted ? nil : $0.value }) {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                return trimmed.isEmpty ? nil : trimmed
            }
            return nil
        }
        return MailSettings(senderName: try string(senderNameKey).map(MailRenderer.oneLine),
                            replyTo: try string(replyToKey).flatMap { try? MailAddress.parse($0, field: replyToKey) },
                            linkBaseURL: try string(linkBaseURLKey))
    }

    /// Refuses a value `PUT /settings/{key}` would store for one of these keys when it is not of
    /// the right kind (422); other keys pass.
    public static func validate(key: String, value: JSONValue, encrypted: Bool) throws {
        switch key {
        case senderNameKey:
            guard !encrypted, case .string(let name) = value, name.unicodeScalars.count <= 100,
                  !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw DomainError.invalid("value", "\(key) must be a name of at most 100 characters on one line")
            }
        case replyToKey:
            guard !encrypted, case .string(let address) = value, let parsed = try? MailAddress.parse(address, field: key), parsed.isSafeOnTheWire else {
                throw DomainError.invalid("value", "\(key) must be an e-mail address")
            }
        case linkBaseURLKey:
            guard !encrypted, case .string(let text) = value, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                  scheme == "https" || scheme == "http", url.host != nil, url.query == nil, url.fragment == nil, text.utf8.count <= 500 else {
                throw DomainError.invalid("value", "\(key) must be an http(s) address without query or fragment, e.g. https://shop.example.com")
            }
        case requireVerifiedEmailKey:
            guard !encrypted, case .bool = value else { throw DomainError.invalid("value", "\(key) must be true or false") }
        case staffAlertsKey:
            throw DomainError.invalid("key", "\(key) is kept by each person's own alert choice (PUT /auth/me/mail-alerts)")
        case lowStockReportedKey:
            throw DomainError.invalid("key", "\(key) is kept by the low-stock digest itself")
        default:
            return
        }
    }
}
