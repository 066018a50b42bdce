import EmporiumCore
import Foundation
import GRDB

struct SQLiteAuditRepository: AuditRepository {
    let db: Database

    func record(_ entry: AuditEntry) throws {
        try db.executeCached(
            sql: """
                INSERT INTO audit_logs (id, user_id, action, resource_type, resource_id, old_values, new_values, ip_address, user_agent, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [entry.id.lowercased, entry.userID?.lowercased, entry.action, entry.resourceType, entry.resourceID,
                        try entry.oldValues?.jsonText(), try entry.newValues?.jsonText(), entry.ip, entry.userAgent, entry.createdAt.sqlText]
        )
    }

    func list(_ filter: AuditFilter, page: Page) throws -> [AuditEntry] {
        let (condition, arguments) = Self.condition(filter)
        return try Row.fetchAll(db, sql: "SELECT * FROM audit_logs \(condition) ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                                arguments: arguments + [page.limit, page.offset]).map(Self.decode)
    }

    func count(_ filter: AuditFilter) throws -> Int {
        let (condition, arguments) = Self.condition(filter)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_logs \(condition)", arguments: arguments) ?? 0
    }

    static func condition(_ filter: AuditFilter) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let action = filter.action { clauses.append("action = ?"); arguments += [action] }
        if let type = filter.resourceType { clauses.append("resource_type = ?"); arguments += [type] }
        if let user = filter.userID { clauses.append("user_id = ?"); arguments += [user.lowercased] }
        if let from = filter.from { clauses.append("created_at >= ?"); arguments += [from] }
        if let to = filter.to { clauses.append("created_at <= ?"); arguments += [to] }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    static func decode(_ row: Row) throws -> AuditEntry {
        let idText: String = row["id"]
        guard let id = UUID(uuidString: idText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed audit_logs row")
        }
        let userText: String? = row["user_id"]
        let oldText: String? = row["old_values"], newText: String? = row["new_values"]
        return AuditEntry(
            id: id, userID: userText.flatMap(UUID.init(uuidString:)), action: row["action"], resourceType: row["resource_type"],
            resourceID: row["resource_id"], oldValues: try oldText.map(JSONValue.parse), newValues: try newText.map(JSONValue.parse),
            ip: row["ip_address"], userAgent: row["user_agent"], createdAt: row["created_at"]
        )
    }
}
