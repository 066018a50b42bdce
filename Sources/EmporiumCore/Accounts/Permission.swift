import Foundation

/// What a signed-in user may do. Wire form is `resource:action`, as in the JWT `permissions` claim.
public struct Permission: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let productsRead = Permission(rawValue: "products:read")
    public static let productsWrite = Permission(rawValue: "products:write")
    public static let ordersRead = Permission(rawValue: "orders:read")
    public static let ordersWrite = Permission(rawValue: "orders:write")
    public static let customersRead = Permission(rawValue: "customers:read")
    public static let analyticsRead = Permission(rawValue: "analytics:read")
    public static let usersRead = Permission(rawValue: "users:read")
    public static let usersWrite = Permission(rawValue: "users:write")
    public static let settingsRead = Permission(rawValue: "settings:read")
    public static let settingsWrite = Permission(rawValue: "settings:write")
    public static let auditRead = Permission(rawValue: "audit:read")

    /// Every permission the shop API checks; `users.permissions` may only add from this list.
    public static let all: [Permission] = [
        .productsRead, .productsWrite, .ordersRead, .ordersWrite, .customersRead, .analyticsRead,
        .usersRead, .usersWrite, .settingsRead, .settingsWrite, .auditRead,
    ]

    public var description: String { rawValue }

    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }
}
