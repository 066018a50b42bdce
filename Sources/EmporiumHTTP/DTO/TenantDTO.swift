import EmporiumCore
import Foundation

/// A shop as the platform API shows it.
public struct TenantDTO: Codable, Sendable {
    public let id: String
    public let name: String
    public let subdomain: String
    @NullWhenAbsent public var domain: String?
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
}
