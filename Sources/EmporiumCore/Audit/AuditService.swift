import Foundation

/// Reading the audit log (`audit:read`). Writing happens inside each use case's own transaction.
public struct AuditService: Sendable {
    let storage: any TenantStorage

    public init(storage: any TenantStorage) {
        self.storage = storage
    }

    public func list(in tenantID: UUID, _ filter: AuditFilter, page: Page, by actor: Actor) async throws -> (entries: [AuditEntry], total: Int) {
        try actor.require(.auditRead)
        if let from = filter.from, let to = filter.to, from > to {
            throw DomainError.badRequest("Invalid query parameters", details: [.init(field: "from", message: "must not be after 'to'")])
        }
        return try await storage.read(tenantID) { tx in (try tx.audit.list(filter, page: page), try tx.audit.count(filter)) }
    }
}
