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
    /// ISO 4217 code from the shop's `currency` setting; USD when unset. Amounts use two decimals.
    public var currency: String {
        if case .string(let code) = settings["currency"], code.count == 3 { return code.uppercased() }
        return "USD"
    }
}
