import EmporiumCore
import Foundation
import GRDB

/// Second-factor credentials (`TwoFactorCredential`): the same statements over a shop file's
/// `user_two_factor` and the system database's `operator_two_factor`.
struct TwoFactorTable {
    static let users = TwoFactorTable(table: "user_two_factor", owner: "user_id")
    static let operators = TwoFactorTable(table: "operator_two_factor", owner: "operator_id")

    let table: String
    let owner: String

    func credential(_ db: Database, account: UUID) throws -> TwoFactorCredential? {
        try Row.fetchOne(db, sql: "SELECT * FROM \(table) WHERE \(owner) = ?", arguments: [account.uuidString.lowercased()]).map(decode)
    }

    func save(_ db: Database, _ credential: TwoFactorCredential, account: UUID) throws {
        let codes = String(decoding: try JSONEncoder().encode(credential.recoveryCodeHashes), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO \(table) (\(owner), sealed_secret, confirmed_at, last_used_step, recovery_codes, failures, locked_until, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (\(owner)) DO UPDATE SET sealed_secret = excluded.sealed_secret, confirmed_at = excluded.confirmed_at,
                last_used_step = excluded.last_used_step, recovery_codes = excluded.recovery_codes, failures = excluded.failures,
                locked_until = excluded.locked_until, created_at = excluded.created_at, updated_at = excluded.updated_at
            """, arguments: [account.uuidString.lowercased(), credential.sealedSecret, credential.confirmedAt, credential.lastUsedStep, codes,
                             credential.failures, credential.lockedUntil, credential.createdAt, credential.updatedAt])
    }

    /// False when the account had none.
    func delete(_ db: Database, account: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM \(table) WHERE \(owner) = ?", arguments: [account.uuidString.lowercased()])
        return db.changesCount > 0
    }

    func all(_ db: Database) throws -> [(account: UUID, credential: TwoFactorCredential)] {
        try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(owner)").compactMap { row in
            let id: String = row[owner]
            return try UUID(uuidString: id).map { ($0, try decode(row)) }
        }
    }

    private func decode(_ row: Row) throws -> TwoFactorCredential {
        let codes: String = row["recovery_codes"]
        return TwoFactorCredential(
            sealedSecret: row["sealed_secret"], confirmedAt: row["confirmed_at"], lastUsedStep: row["last_used_step"],
            recoveryCodeHashes: try JSONDecoder().decode([String].self, from: Data(codes.utf8)),
            failures: row["failures"], lockedUntil: row["locked_until"], createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }
}

struct SQLiteTwoFactorRepository: TwoFactorRepository {
    let db: Database

    func credential(userID: UUID) throws -> TwoFactorCredential? { try TwoFactorTable.users.credential(db, account: userID) }
    func save(_ credential: TwoFactorCredential, userID: UUID) throws { try TwoFactorTable.users.save(db, credential, account: userID) }
    func delete(userID: UUID) throws -> Bool { try TwoFactorTable.users.delete(db, account: userID) }
    func all() throws -> [(userID: UUID, credential: TwoFactorCredential)] {
        try TwoFactorTable.users.all(db).map { ($0.account, $0.credential) }
    }
}
