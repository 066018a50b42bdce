import EmporiumCore
import Foundation
import GRDB

struct SQLiteRefreshTokenRepository: RefreshTokenRepository {
    let db: Database

    func insert(_ token: RefreshTokenRecord) throws {
        try RefreshTokenRow(token).insert(db)
    }

    func token(hash: String) throws -> RefreshTokenRecord? {
        try RefreshTokenRow.filter(RefreshTokenRow.Columns.tokenHash == hash).fetchOne(db)?.token
    }

    func markUsed(id: UUID, at date: Date) throws {
        try RefreshTokenRow.filter(key: id.lowercased).updateAll(db, RefreshTokenRow.Columns.usedAt.set(to: date.sqlText))
    }

    func revokeFamily(_ familyID: UUID, at date: Date) throws {
        try RefreshTokenRow.filter(RefreshTokenRow.Columns.familyID == familyID.lowercased && RefreshTokenRow.Columns.revokedAt == nil)
            .updateAll(db, RefreshTokenRow.Columns.revokedAt.set(to: date.sqlText))
    }

    func revokeAll(userID: UUID, at date: Date) throws {
        try RefreshTokenRow.filter(RefreshTokenRow.Columns.userID == userID.lowercased && RefreshTokenRow.Columns.revokedAt == nil)
            .updateAll(db, RefreshTokenRow.Columns.revokedAt.set(to: date.sqlText))
    }
}
