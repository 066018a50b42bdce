import Foundation

/// A shop user's role. Each maps to a fixed permission set (docs/security.md); a user's own
/// `permissions` can add to it, never remove.
public enum Role: String, Sendable, Codable, CaseIterable {
    case owner
    case admin
    case manager
    case staff
    case customer

    public var permissions: Set<Permission> {
        switch self {
        case .owner, .admin:
            return Set(Permission.all)
        case .manager:
            return [.productsRead, .productsWrite, .ordersRead, .ordersWrite, .customersRead, .analyticsRead,
                    .usersRead, .settingsRead, .auditRead]
        case .staff:
            return [.productsRead, .ordersRead, .ordersWrite, .customersRead]
        case .customer:
            return []
        }
    }

    /// Staff roles sign in to the admin panel; customers to the storefront.
    public var isStaff: Bool { self != .customer }
}
