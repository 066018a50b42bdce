import EmporiumCore
import Foundation
import GRDB

/// An account's second-factor credential (`TwoFactorCredential`): a row of a shop's
/// `user_two_factor` or of the system database's `operator_two_factor`.
protocol TwoFactorRecord: StoredRecord {
    static var owner: Column { get }
    var account: UUID { get }
    var fields: TwoFactorFields { get }
    init(account: UUID, fields: TwoFactorFields)
}

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

extension TwoFactorRecord {
    static func credential(_ db: Database, account: UUID) throws -> TwoFactorCredential? {
        try filter(owner == account.lowercased).fetchOne(db)?.fields.credential
    }

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

/// A row of a shop's `user_two_factor`.
struct UserTwoFactorRecord: TwoFactorRecord {
    static let databaseTableName = "user_two_factor"
    static let owner = Column("user_id")

    var account: UUID
    var fields: TwoFactorFields

    init(account: UUID, fields: TwoFactorFields) {
        (self.account, self.fields) = (account, fields)
    }

    init(from decoder: any Decoder) throws {
        account = try decoder.container(keyedBy: OwnerKey.self).decode(UUID.self, forKey: .userID)
        fields = try TwoFactorFields(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: OwnerKey.self)
        try container.encode(account, forKey: .userID)
        try fields.encode(to: encoder)
    }

    private enum OwnerKey: String, CodingKey { case userID = "user_id" }
}

/// A row of the system database's `operator_two_factor`.
struct OperatorTwoFactorRecord: TwoFactorRecord {
    static let databaseTableName = "operator_two_factor"
    static let owner = Column("operator_id")

    var account: UUID
    var fields: TwoFactorFields

    init(account: UUID, fields: TwoFactorFields) {
        (self.account, self.fields) = (account, fields)
    }

    init(from decoder: any Decoder) throws {
        account = try decoder.container(keyedBy: OwnerKey.self).decode(UUID.self, forKey: .operatorID)
        fields = try TwoFactorFields(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: OwnerKey.self)
        try container.encode(account, forKey: .operatorID)
        try fields.encode(to: encoder)
    }

    private enum OwnerKey: String, CodingKey { case operatorID = "operator_id" }
}
