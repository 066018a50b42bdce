import EmporiumCore
import Foundation

/// A shop as the platform API shows it.
public struct TenantDTO: Codable, Sendable {
    public let id: String
    public let name: String
    public let subdomain: String
    public let domain: String?
    public let plan: String
    public let status: TenantStatus
    public let settings: [String: JSONValue]
    public let createdAt: Date
    public let updatedAt: Date

    public init(_ tenant: Tenant) {
        self.id = tenant.id.uuidString.lowercased()
        self.name = tenant.name
        self.subdomain = tenant.subdomain
        self.domain = tenant.domain
        self.plan = tenant.plan
        self.status = tenant.status
        self.settings = tenant.settings
        self.createdAt = tenant.createdAt
        self.updatedAt = tenant.updatedAt
    }

    /// `domain` is always present, `null` when the shop has none.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(subdomain, forKey: .subdomain)
        try container.encode(domain, forKey: .domain)
        try container.encode(plan, forKey: .plan)
        try container.encode(status, forKey: .status)
        try container.encode(settings, forKey: .settings)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
