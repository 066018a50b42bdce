import EmporiumCore
import Foundation
import GRDB

/// An address an account signed in from (the lockout's known addresses, `LoginThrottle`): a row
/// of a shop's `sign_in_addresses` or of the system database's `operator_sign_in_addresses`.
protocol SignInAddressRecord: StoredRecord {
    static var owner: Column { get }
    init(account: UUID, address: String, lastSeen: Date)
}

extension SignInAddressRecord {
    static func isKnown(_ db: Database, account: UUID, address: String, since: Date) throws -> Bool {
        try filter(owner == account.lowercased && Column("address") == address && Column("last_seen") >= since.sqlText).isEmpty(db) == false
    }

    /// Records a successful sign-in from `address`, keeping the account's newest `keep` addresses.
    static func remember(_ db: Database, account: UUID, address: String, at timestamp: Date, keep: Int) throws {
        try Self(account: account, address: address, lastSeen: timestamp).save(db)
        let accounts = filter(owner == account.lowercased)
        let newest = accounts.select(Column("address")).order(Column("last_seen").desc).limit(keep)
        try accounts.filter(!newest.contains(Column("address"))).deleteAll(db)
    }
}

/// A row of a shop's `sign_in_addresses`.
struct UserSignInAddressRecord: SignInAddressRecord {
    static let databaseTableName = "sign_in_addresses"
    static let owner = Column(CodingKeys.userID)

    var userID: UUID
    var address: String
    var lastSeen: Date

    enum CodingKeys: String, CodingKey {
        case address
        case userID = "user_id", lastSeen = "last_seen"
    }

    init(account: UUID, address: String, lastSeen: Date) {
        (userID, self.address, self.lastSeen) = (account, address, lastSeen)
    }
}

/// A row of the system database's `operator_sign_in_addresses`.
struct OperatorSignInAddressRecord: SignInAddressRecord {
    static let databaseTableName = "operator_sign_in_addresses"
    static let owner = Column(CodingKeys.operatorID)

    var operatorID: UUID
    var address: String
    var lastSeen: Date

    enum CodingKeys: String, CodingKey {
        case address
        case operatorID = "operator_id", lastSeen = "last_seen"
    }

    init(account: UUID, address: String, lastSeen: Date) {
        (operatorID, self.address, self.lastSeen) = (account, address, lastSeen)
    }
}
