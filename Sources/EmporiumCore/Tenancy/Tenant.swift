import Foundation

/// Whether a shop may be used. A suspended shop keeps its data but answers `TENANT_SUSPENDED`.
public enum TenantStatus: String, Sendable, Codable, CaseIterable {
    case active
    case suspended
}

/// A shop. Its row lives in the system database; everything else it owns lives in its own SQLite file.
public struct Tenant: Sendable, Equatable, Codable, Identifiable {
    public var id: UUID
    public var name: String
    /// DNS label that names the shop: `<subdomain>.<BASE_DOMAIN>` and the `X-Tenant-ID` alias.
    public var subdomain: String
    /// Optional custom domain the shop is served on (`shop.example.com`).
    public var domain: String?
    public var plan: String
    public var status: TenantStatus
    /// Per-shop settings object (currency, time zone, sign-up policy, …), always a JSON object.
    public var settings: [String: JSONValue]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, name: String, subdomain: String, domain: String?, plan: String,
        status: TenantStatus, settings: [String: JSONValue], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.subdomain = subdomain
        self.domain = domain
        self.plan = plan
        self.status = status
        self.settings = settings
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension Tenant {
    /// Decimals of the shop's currency (0 for JPY, 3 for KWD, 2 for most).
    public var currencyExponent: Int { Currency.exponent(currency) }

    /// ISO 4217 code from the shop's `currency` setting; USD when unset.
    public var currency: String {
        if case .string(let code) = settings["currency"], code.count == 3 { return code.uppercased() }
        return "USD"
    }
}

extension Tenant {
    /// The shop's `timezone` setting (an IANA name such as `Europe/Berlin`); UTC when unset.
    /// Analytics count whole days in this zone.
    public var timeZone: TimeZone {
        TimeZone(identifier: timeZoneName) ?? TimeZone(identifier: "UTC")!
    }

    /// The IANA name of `timeZone` as the shop set it (Foundation would call UTC "GMT").
    public var timeZoneName: String {
        if case .string(let name) = settings["timezone"], TimeZone(identifier: name) != nil { return name }
        return "UTC"
    }

    /// The shop's part of file names (backups, archives): its subdomain when that passes the
    /// subdomain rules, else its UUID, so no stored value can name a path outside its folder.
    public var fileLabel: String {
        if let valid = try? HostnameRules.normalizeSubdomain(subdomain), valid == subdomain { return valid }
        return id.lowercased
    }

    /// Problems with settings the server itself reads; other keys are the shop's own business.
    static func settingIssues(_ settings: [String: JSONValue?]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if case .some(.some(let value)) = settings["timezone"] {
            guard case .string(let name) = value, TimeZone(identifier: name) != nil else {
                issues.append(FieldIssue(field: "settings.timezone", message: "must be an IANA time zone name such as Europe/Berlin"))
                return issues
            }
        }
        if case .some(.some(let value)) = settings["currency"] {
            guard case .string(let code) = value, code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                issues.append(FieldIssue(field: "settings.currency", message: "must be a 3-letter ISO 4217 code"))
                return issues
            }
        }
        return issues
    }
}
