import EmporiumCore
import Foundation
import Hummingbird

/// `GET /audit-logs`: the shop's audit trail, newest first, for `audit:read`.
struct AuditController {
    let audit: AuditService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("audit-logs", use: list)
    }

    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Envelope<PagedList<AuditEntryDTO>> {
        let actor = try context.require(.auditRead)
        let query = request.uri.queryParameters
        let page = try query.page()
        var issues: [FieldIssue] = []
        func date(_ name: String) -> Date? {
            guard let raw = query[Substring(name)].map(String.init) else { return nil }
            if let date = ISO8601DateFormatter().date(from: raw) { return date }
            let dayOnly = ISO8601DateFormatter()
            dayOnly.formatOptions = [.withFullDate]
            if let date = dayOnly.date(from: raw) { return date }
            issues.append(.init(field: name, message: "must be an ISO-8601 date or date-time"))
            return nil
        }
        var userID: UUID?
        if let raw = query["userId"] {
            userID = UUID(uuidString: String(raw))
            if userID == nil { issues.append(.init(field: "userId", message: "must be a UUID")) }
        }
        let filter = AuditFilter(action: query["action"].map(String.init), resourceType: query["resourceType"].map(String.init),
                                 userID: userID, from: date("from"), to: date("to"))
        guard issues.isEmpty else { throw DomainError.badRequest("Invalid query parameters", details: issues) }
        let result = try await audit.list(in: context.tenant.id, filter, page: page, by: actor)
        return Envelope(PagedList(key: "auditLogs", items: result.entries.map(AuditEntryDTO.init), pagination: Pagination(page, total: result.total)))
    }
}
