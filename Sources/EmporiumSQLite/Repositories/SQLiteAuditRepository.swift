import EmporiumCore
import Foundation
import GRDB

struct SQLiteAuditRepository: AuditRepository {
    let db: Database

    func record(_ entry: AuditEntry) throws {
        try AuditEntryRecord(entry).insert(db)
    }

    func list(_ filter: AuditFilter, page: Page) throws -> [AuditEntry] {
        try Self.request(filter).order(AuditEntryRecord.Columns.createdAt.desc, Column.rowID.desc)
            .limit(page.limit, offset: page.offset).fetchAll(db).map(\.entry)
    }

    func count(_ filter: AuditFilter) throws -> Int {
        try Self.request(filter).fetchCount(db)
    }

    static func request(_ filter: AuditFilter) -> QueryInterfaceRequest<AuditEntryRecord> {
        typealias Columns = AuditEntryRecord.Columns
        var request = AuditEntryRecord.all()
        if let action = filter.action { request = request.filter(Columns.action == action) }
        if let type = filter.resourceType { request = request.filter(Columns.resourceType == type) }
        if let user = filter.userID { request = request.filter(Columns.userID == user.lowercased) }
        if let from = filter.from { request = request.filter(Columns.createdAt >= from.sqlText) }
        if let to = filter.to { request = request.filter(Columns.createdAt <= to.sqlText) }
        return request
    }
}
