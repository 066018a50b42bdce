import Foundation

/// A sign-in address remembered for the lockout bypass, as a customer's data export shows it.
public struct SignInRecord: Sendable, Equatable {
    public var address: String
    public var lastSeen: Date

    public init(address: String, lastSeen: Date) {
        self.address = address
        self.lastSeen = lastSeen
    }
}

/// The statements behind a data subject's rights (GDPR art. 15 and 17) and the audit log's
/// retention, which cut across the other repositories' tables.
public protocol PersonalDataRepository {
    /// Audit rows about the person: on their account, made by them, on their orders, or failed
    /// sign-ins that named their e-mail address; oldest first.
    func auditEntries(concerning userID: UUID, email: String) throws -> [AuditEntry]
    func signInAddresses(userID: UUID) throws -> [SignInRecord]
    /// Removes the values, client address and user agent from the rows on the user's account, the
    /// rows they made and the failed sign-ins naming their address, keeping what happened and
    /// when. Returns how many rows changed.
    func scrubAuditEntries(concerning userID: UUID, email: String) throws -> Int
    /// Stores an order's checkout as given (the anonymised copy).
    func replaceCheckout(_ checkout: OrderCheckout, of orderID: UUID) throws
    /// Unlinks the customer from their orders: the customer, the idempotency key and the request
    /// hash of each order, the customer as actor in status histories, and discount redemptions.
    func detachOrders(customerID: UUID) throws
    /// Deletes up to `limit` audit rows older than `cutoff`, oldest first; returns how many.
    func deleteAuditEntries(before cutoff: Date, limit: Int) throws -> Int
}
