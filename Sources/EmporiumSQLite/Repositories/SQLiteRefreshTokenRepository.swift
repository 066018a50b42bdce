import EmporiumCore
import Foundation
import GRDB

struct SQLiteRefreshTokenRepository: RefreshTokenRepository {
    let db: Database

    func insert(_ token: RefreshTokenRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at, used_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [token.id.lowercased, token.userID.lowercased, token.familyID.lowercased, token.tokenHash, token.expiresAt,
                        token.createdAt, token.usedAt, token.revokedAt]
        )
    }

    func token(hash: String) throws -> RefreshTokenRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM refresh_tokens WHERE token_hash = ?", arguments: [hash]) else { return nil }
        let id: String = row["id"], user: String = row["user_id"], family: String = row["family_id"]
        guard let id = UUID(uuidString: id), let user = UUID(uuidString: user), let family = UUID(uuidString: family) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed refresh_tokens row")
        }
        return RefreshTokenRecord(id: id, userID: user, familyID: family, tokenHash: row["token_hash"], expiresAt: row["expires_at"],
                                  createdAt: row["created_at"], usedAt: row["used_at"], revokedAt: row["revoked_at"])
    }

    func markUsed(id: UUID, at date: Date) throws {
        try db.execute(sql: "UPDATE refresh_tokens SET used_at = ? WHERE id = ?", arguments: [date, id.lowercased])
    }

    func revokeFamily(_ familyID: UUID, at date: Date) throws {
        try db.execute(sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                       arguments: [date, familyID.lowercased])
    }

    func revokeAll(userID: UUID, at date: Date) throws {
        try db.execute(sql: "UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                       arguments: [date, userID.lowercased])
    }
}
