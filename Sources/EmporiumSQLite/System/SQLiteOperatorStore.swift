import EmporiumCore
import Foundation
import GRDB

/// `OperatorStore` over the system database's `platform_operators` table.
public struct SQLiteOperatorStore: OperatorStore {
    let database: SystemDatabase

    public init(_ database: SystemDatabase) {
        self.database = database
    }

    public func insert(_ op: PlatformOperator) async throws {
        do {
            try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO platform_operators (id, email, password_hash, first_name, last_name, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [op.id.uuidString.lowercased(), op.email, op.passwordHash, op.firstName, op.lastName, op.createdAt, op.updatedAt]
                )
            }
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "An operator with this email already exists")
        }
    }

    public func operatorBy(email: String) async throws -> PlatformOperator? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM platform_operators WHERE email = ?", arguments: [email]).map(Self.decode)
        }
    }

    public func operatorBy(id: UUID) async throws -> PlatformOperator? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM platform_operators WHERE id = ?", arguments: [id.uuidString.lowercased()]).map(Self.decode)
        }
    }

    public func recordFailedLogin(id: UUID, at timestamp: Date, rule: LoginThrottle) async throws -> Date? {
        try await database.write { db -> Date? in
            let key = id.uuidString.lowercased()
            guard let row = try Row.fetchOne(db, sql: "SELECT login_attempts, locked_until FROM platform_operators WHERE id = ?", arguments: [key])
            else { return nil }
            let lockedUntil: Date? = row["locked_until"]
            if let lockedUntil, lockedUntil > timestamp { return lockedUntil }
            let next = rule.afterFailure(attempts: row["login_attempts"], now: timestamp)
            try db.execute(sql: "UPDATE platform_operators SET login_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?",
                           arguments: [next.attempts, next.lockedUntil, timestamp, key])
            return next.lockedUntil
        }
    }

    public func recordSuccessfulLogin(id: UUID, address: String?, at timestamp: Date, keep: Int) async throws {
        try await database.write { db in
            let key = id.uuidString.lowercased()
            try db.execute(sql: "UPDATE platform_operators SET login_attempts = 0, locked_until = NULL, last_login = ?, updated_at = ? WHERE id = ?",
                           arguments: [timestamp, timestamp, key])
            if let address {
                try SignInAddressTable.operators.remember(db, account: id, address: address, at: timestamp, keep: keep)
            }
        }
    }

    public func isKnownSignInAddress(id: UUID, address: String, since: Date) async throws -> Bool {
        try await database.read { db in try SignInAddressTable.operators.isKnown(db, account: id, address: address, since: since) }
    }

    public func twoFactor(operatorID: UUID) async throws -> TwoFactorCredential? {
        try await database.read { db in try TwoFactorTable.operators.credential(db, account: operatorID) }
    }

    public func operatorsWithTwoFactor() async throws -> [UUID] {
        try await database.read { db in try TwoFactorTable.operators.all(db).map(\.account) }
    }

    public func changeTwoFactor<T: Sendable>(
        operatorID: UUID, _ body: @escaping @Sendable (inout TwoFactorCredential?) throws -> T
    ) async throws -> T {
        try await database.write { db in
            let before = try TwoFactorTable.operators.credential(db, account: operatorID)
            var credential = before
            let result = try body(&credential)
            if let credential {
                if credential != before { try TwoFactorTable.operators.save(db, credential, account: operatorID) }
            } else if before != nil {
                _ = try TwoFactorTable.operators.delete(db, account: operatorID)
            }
            return result
        }
    }

    static func decode(_ row: Row) throws -> PlatformOperator {
        let idText: String = row["id"]
        guard let id = UUID(uuidString: idText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed platform_operators row \(idText)")
        }
        return PlatformOperator(
            id: id, email: row["email"], passwordHash: row["password_hash"], firstName: row["first_name"], lastName: row["last_name"],
            loginAttempts: row["login_attempts"], lockedUntil: row["locked_until"], lastLogin: row["last_login"],
            createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }
}
