import EmporiumCore
import Foundation
import GRDB

/// An address an account signed in from (the lockout's known addresses, `LoginThrottle`): a row
/// of a shop's `sign_in_addresses` or of the system database's `operator_sign_in_addresses`.
struct SignInAddressRecord<Tables: AccountTables>: StoredRecord {
    static var databaseTableName: String { Tables.signInAddresses }
    static var owner: Column { Column(Tables.owner) }

    var account: UUID
    var address: String
    var lastSeen: Date

    init(account: UUID, address: String, lastSeen: Date) {
        (self.account, self.address, self.lastSeen) = (account, address, lastSeen)
    }

    init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: ColumnKey.self)
        account = try row.decode(UUID.self, forKey: ColumnKey(Tables.owner))
        address = try row.decode(String.self, forKey: ColumnKey("address"))
        lastSeen = try row.decode(Date.self, forKey: ColumnKey("last_seen"))
    }

    func encode(to encoder: any Encoder) throws {
        var row = encoder.container(keyedBy: ColumnKey.self)
        try row.encode(account, forKey: ColumnKey(Tables.owner))
        try row.encode(address, forKey: ColumnKey("address"))
        try row.encode(lastSeen, forKey: ColumnKey("last_seen"))
    }

    static func isKnown(_ db: Database, account: UUID, address: String, since: Date) throws -> Bool {
        try filter(owner == account.lowercased && Column("address") == address && Column("last_seen") >= since.sqlText).isEmpty(db) == false
    }

    static func hasAny(_ db: Database, account: UUID) throws -> Bool {
        try filter(owner == account.lowercased).isEmpty(db) == false
    }

    /// Records a successful sign-in from `address`, keeping the account's newest `keep` addresses.
    /// (`save`, not `upsert`: GRDB's upsert asks for the rowid, which this WITHOUT ROWID table has not.)
    static func remember(_ db: Database, account: UUID, address: String, at timestamp: Date, keep: Int) throws {
        try Self(account: account, address: address, lastSeen: timestamp).save(db)
        let accounts = filter(owner == account.lowercased)
        let newest = accounts.select(Column("address")).order(Column("last_seen").desc).limit(keep)
        try accounts.filter(!newest.contains(Column("address"))).deleteAll(db)
    }
}

typealias UserSignInAddressRecord = SignInAddressRecord<ShopUserTables>
typealias OperatorSignInAddressRecord = SignInAddressRecord<OperatorTables>
