import Foundation

/// Everything one shop holds about one person (GDPR art. 15, right of access): the account, its
/// address book, cart, remembered sign-in addresses, orders and the audit rows about them. The
/// API (`GET /users/{id}/export`, `GET /auth/me/export`) and `emporium customer export` give it
/// out in one JSON shape.
public struct CustomerData: Sendable {
    public struct CartItem: Sendable, Equatable {
        public var productID: UUID
        public var variantID: UUID
        public var quantity: Int
    }

    public var user: User
    public var addresses: [SavedAddress]
    public var cart: [CartItem]
    public var signInAddresses: [SignInRecord]
    public var orders: [Order]
    public var auditEntries: [AuditEntry]
    public var exportedAt: Date
}

/// What an erasure did (GDPR art. 17): the counts go into the audit row that records it, the
/// data itself nowhere.
public struct ErasureReport: Sendable, Equatable {
    public var userID: UUID
    public var ordersAnonymised: Int
    public var addressesDeleted: Int
    public var auditEntriesScrubbed: Int
    public var erasedAt: Date

    public var auditValues: JSONValue {
        .object([
            "ordersAnonymised": .number(Double(ordersAnonymised)),
            "addressesDeleted": .number(Double(addressesDeleted)),
            "auditEntriesScrubbed": .number(Double(auditEntriesScrubbed)),
        ])
    }
}
