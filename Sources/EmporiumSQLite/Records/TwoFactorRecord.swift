import EmporiumCore
import Foundation
import GRDB

/// An account's second-factor credential (`TwoFactorCredential`): a row of a shop's
/// `user_two_factor` or of the system database's `operator_two_factor`.
struct TwoFactorRecord<Tables: AccountTables>: StoredRecord {
    static var databaseTableName: String { Tables.twoFactor }
    static var owner: Column { Column(Tables.owner) }

    var account: UUID
    var fields: TwoFactorFields

    init(account: UUID, fields: TwoFactorFields) {
        (self.account, self.fields) = (account, fields)
    }

    init(from decoder: any Decoder) throws {
        account = try decoder.container(keyedBy: ColumnKey.self).decode(UUID.self, forKey: ColumnKey(Tables.owner))
        fields = try TwoFactorFields(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var row = encoder.container(keyedBy: ColumnKey.self)
        try row.encode(account, forKey: ColumnKey(Tables.owner))
        try fields.encode(to: encoder)
    }

    static func credential(_ db: Database, account: UUID) throws -> TwoFactorCredential? {
        try filter(owner == account.lowercased).fetchOne(db)?.fields.credential
    }

    /// (`save`, not `upsert`: GRDB's upsert asks for the rowid, which this WITHOUT ROWID table has not.)
    static func save(_ db: Database, _ credential: TwoFactorCredential, account: UUID) throws {
        try Self(account: account, fields: TwoFactorFields(credential)).save(db)
    }

    /// False when the account had none.
    static func delete(_ db: Database, account: UUID) throws -> Bool {
        try filter(owner == account.lowercased).deleteAll(db) > 0
    }

    static func all(_ db: Database) throws -> [(account: UUID, credential: TwoFactorCredential)] {
        try order(owner).fetchAll(db).map { ($0.account, $0.fields.credential) }
    }
}

typealias UserTwoFactorRecord = TwoFactorRecord<ShopUserTables>
typealias OperatorTwoFactorRecord = TwoFactorRecord<OperatorTables>

/// The columns both two-factor tables share, after the owner's id.
struct TwoFactorFields: Codable, Sendable {
    var sealedSecret: String
    var confirmedAt: Date?
    var lastUsedStep: Int64?
    var recoveryCodes: [String]
    var failures: Int
    var lockedUntil: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case failures
        case sealedSecret = "sealed_secret", confirmedAt = "confirmed_at", lastUsedStep = "last_used_step", recoveryCodes = "recovery_codes"
        case lockedUntil = "locked_until", createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ credential: TwoFactorCredential) {
        (sealedSecret, confirmedAt, lastUsedStep, recoveryCodes) = (credential.sealedSecret, credential.confirmedAt, credential.lastUsedStep,
                                                                    credential.recoveryCodeHashes)
        (failures, lockedUntil, createdAt, updatedAt) = (credential.failures, credential.lockedUntil, credential.createdAt, credential.updatedAt)
    }

    var credential: TwoFactorCredential {
        TwoFactorCredential(sealedSecret: sealedSecret, confirmedAt: confirmedAt, lastUsedStep: lastUsedStep, recoveryCodeHashes: recoveryCodes,
                            failures: failures, lockedUntil: lockedUntil, createdAt: createdAt, updatedAt: updatedAt)
    }
}
