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
            try await database.write { db in try OperatorRecord(op).insert(db) }
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "An operator with this email already exists")
        }
    }

    public func operatorBy(email: String) async throws -> PlatformOperator? {
        try await database.read { db in try OperatorRecord.filter(OperatorRecord.Columns.email == email).fetchOne(db)?.platformOperator }
    }

    public func operatorBy(id: UUID) async throws -> PlatformOperator? {
        try await database.read { db in try OperatorRecord.fetchOne(db, key: id.lowercased)?.platformOperator }
    }

    public func recordFailedLogin(id: UUID, at timestamp: Date, rule: LoginThrottle) async throws -> Date? {
        try await database.write { db -> Date? in
            guard var record = try OperatorRecord.fetchOne(db, key: id.lowercased) else { return nil }
            if let lockedUntil = record.lockedUntil, lockedUntil > timestamp { return lockedUntil }
            let next = rule.afterFailure(attempts: record.loginAttempts, now: timestamp)
            (record.loginAttempts, record.lockedUntil, record.updatedAt) = (next.attempts, next.lockedUntil, timestamp)
            try record.update(db, columns: [OperatorRecord.Columns.loginAttempts, OperatorRecord.Columns.lockedUntil, OperatorRecord.Columns.updatedAt])
            return next.lockedUntil
        }
    }

    public func recordSuccessfulLogin(id: UUID, address: String?, at timestamp: Date, keep: Int) async throws {
        try await database.write { db in
            try OperatorRecord.filter(key: id.lowercased).updateAll(db, [
                OperatorRecord.Columns.loginAttempts.set(to: 0), OperatorRecord.Columns.lockedUntil.set(to: nil),
                OperatorRecord.Columns.lastLogin.set(to: timestamp.sqlText), OperatorRecord.Columns.updatedAt.set(to: timestamp.sqlText),
            ])
            if let address {
                try OperatorSignInAddressRecord.remember(db, account: id, address: address, at: timestamp, keep: keep)
            }
        }
    }

    public func isKnownSignInAddress(id: UUID, address: String, since: Date) async throws -> Bool {
        try await database.read { db in try OperatorSignInAddressRecord.isKnown(db, account: id, address: address, since: since) }
    }

    public func twoFactor(operatorID: UUID) async throws -> TwoFactorCredential? {
        try await database.read { db in try OperatorTwoFactorRecord.credential(db, account: operatorID) }
    }

    public func operatorsWithTwoFactor() async throws -> [UUID] {
        try await database.read { db in try OperatorTwoFactorRecord.all(db).map(\.account) }
    }

    public func changeTwoFactor<T: Sendable>(
        operatorID: UUID, _ body: @escaping @Sendable (inout TwoFactorCredential?) throws -> T
    ) async throws -> T {
        try await database.write { db in
            let before = try OperatorTwoFactorRecord.credential(db, account: operatorID)
            var credential = before
            let result = try body(&credential)
            if let credential {
                if credential != before { try OperatorTwoFactorRecord.save(db, credential, account: operatorID) }
            } else if before != nil {
                _ = try OperatorTwoFactorRecord.delete(db, account: operatorID)
            }
            return result
        }
    }
}
