import Foundation

/// A shop's duties to each person whose data it holds (GDPR): give them all of it (export), erase
/// it on request, and keep the audit log no longer than the retention set (`AUDIT_LOG_RETENTION`).
///
/// Erasure keeps what the shop must keep for its accounts — each order's number, lines, money,
/// tax, invoice number and the country and region it went to — and unlinks it from the person;
/// the account, address book, cart, tokens and remembered sign-in addresses go. The audit log
/// keeps that things happened (and the erasure itself), without the values, addresses or user
/// agents that named the person. Orders still being dealt with (pending, paid, fulfilled,
/// shipped) hold an erasure back: the shop still needs the address to deliver or refund them.
public struct PersonalDataService: Sendable {
    let storage: any TenantStorage
    let cache: MemoryCache
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, cache: MemoryCache, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.cache = cache
        self.now = now
    }

    /// Statuses in which an order is still being dealt with.
    static let openStatuses: Set<OrderStatus> = [.pending, .paid, .fulfilled, .shipped]

    /// Staff export a person's data: the actor must be able to read everything it holds.
    public func export(in tenantID: UUID, userID: UUID, by actor: Actor) async throws -> CustomerData {
        for permission in [Permission.usersRead, .customersRead, .ordersRead, .auditRead] { try actor.require(permission) }
        return try await collect(in: tenantID, userID: userID, by: actor)
    }

    /// A signed-in person exports their own data.
    public func exportOwn(in tenantID: UUID, by actor: Actor) async throws -> CustomerData {
        guard let userID = actor.userID else { throw DomainError.unauthorized("Sign in to export your data") }
        return try await collect(in: tenantID, userID: userID, by: actor)
    }

    /// Reads everything in one transaction (a consistent picture) and records who exported it.
    private func collect(in tenantID: UUID, userID: UUID, by actor: Actor) async throws -> CustomerData {
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            guard let user = try tx.users.user(id: userID) else { throw DomainError.notFound("No user \(userID.lowercased)") }
            let data = CustomerData(
                user: user,
                addresses: try tx.addresses.addresses(userID: userID),
                cart: try tx.carts.lines(userID: userID).map { .init(productID: $0.productID, variantID: $0.variantID, quantity: $0.quantity) },
                signInAddresses: try tx.personalData.signInAddresses(userID: userID),
                orders: try Self.allOrders(of: userID, in: tx),
                auditEntries: try tx.personalData.auditEntries(concerning: userID, email: user.email),
                exportedAt: timestamp
            )
            try tx.audit.record(AuditEntry("user.data_exported", on: "user", id: userID.lowercased, by: actor, at: timestamp))
            return data
        }
    }

    /// Erases a customer (only customers: staff accounts are deleted, their audit trail stays).
    /// One transaction: it all happens or none of it does.
    public func erase(in tenantID: UUID, userID: UUID, by actor: Actor) async throws -> ErasureReport {
        for permission in [Permission.usersWrite, .ordersWrite] { try actor.require(permission) }
        let timestamp = now()
        let report = try await storage.write(tenantID) { tx in
            guard let user = try tx.users.user(id: userID) else { throw DomainError.notFound("No user \(userID.lowercased)") }
            guard user.role == .customer else {
                throw DomainError.conflict("Only customer accounts are erased; delete a staff account with DELETE /users/{id}")
            }
            let orders = try Self.allOrders(of: userID, in: tx)
            let open = orders.filter { Self.openStatuses.contains($0.status) }
            guard open.isEmpty else {
                let numbers = open.prefix(10).map { "#\($0.number) (\($0.status.rawValue))" }.joined(separator: ", ")
                throw DomainError.conflict("The customer has \(open.count) open order(s): \(numbers). Deliver, cancel or refund them first")
            }
            for order in orders {
                try tx.personalData.replaceCheckout(order.checkout.erased, of: order.id)
            }
            try tx.personalData.detachOrders(customerID: userID)
            let addresses = try tx.addresses.count(userID: userID)
            let scrubbed = try tx.personalData.scrubAuditEntries(concerning: userID, email: user.email)
            // The account goes last: its address book, cart, tokens and sign-in addresses cascade.
            try tx.users.delete(id: userID)
            let report = ErasureReport(userID: userID, ordersAnonymised: orders.count, addressesDeleted: addresses,
                                       auditEntriesScrubbed: scrubbed, erasedAt: timestamp)
            try tx.audit.record(AuditEntry("user.erased", on: "user", id: userID.lowercased, by: actor, new: report.auditValues, at: timestamp))
            return report
        }
        // Dashboards and order lists may hold the customer's orders as they were.
        cache.invalidate(tenant: tenantID)
        // The rows are gone from the tables, but earlier versions of their pages stay in the WAL
        // until a checkpoint reaches them: empty it now, not after hundreds of later writes.
        try await storage.flushLog(tenantID)
        return report
    }

    /// Deletes the shop's audit rows older than `retention` seconds; returns how many. A few
    /// thousand rows per transaction, so a first prune of years of rows never holds the shop's
    /// writer for long.
    public func pruneAuditLog(in tenantID: UUID, retention: TimeInterval) async throws -> Int {
        let cutoff = now().addingTimeInterval(-retention)
        var deleted = 0
        while true {
            let batch = try await storage.write(tenantID) { tx in try tx.personalData.deleteAuditEntries(before: cutoff, limit: Self.pruneBatch) }
            deleted += batch
            if batch < Self.pruneBatch { return deleted }
        }
    }

    static let pruneBatch = 5_000

    private static func allOrders(of customerID: UUID, in tx: any TenantTransaction) throws -> [Order] {
        var orders: [Order] = []
        for number in 1... {
            let page = try tx.orders.list(OrderFilter(customerID: customerID), page: Page(page: number, limit: Page.maximumLimit))
            orders += page
            if page.count < Page.maximumLimit { break }
        }
        return orders
    }
}
