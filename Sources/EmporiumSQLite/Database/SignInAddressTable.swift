import Foundation
import GRDB

/// The addresses an account signed in from (the lockout's known addresses, `LoginThrottle`): the
/// same statements over a shop file's `sign_in_addresses` and the system database's
/// `operator_sign_in_addresses`.
struct SignInAddressTable {
    static let users = SignInAddressTable(table: "sign_in_addresses", owner: "user_id")
    static let operators = SignInAddressTable(table: "operator_sign_in_addresses", owner: "operator_id")

    let table: String
    let owner: String

    func isKnown(_ db: Database, account: UUID, address: String, since: Date) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE \(owner) = ? AND address = ? AND last_seen >= ?)",
                          arguments: [account.uuidString.lowercased(), address, since]) ?? false
    }

    /// Records a successful sign-in from `address`, keeping the account's newest `keep` addresses.
    func remember(_ db: Database, account: UUID, address: String, at timestamp: Date, keep: Int) throws {
        let id = account.uuidString.lowercased()
        try db.execute(sql: """
            INSERT INTO \(table) (\(owner), address, last_seen) VALUES (?, ?, ?)
            ON CONFLICT (\(owner), address) DO UPDATE SET last_seen = excluded.last_seen
            """, arguments: [id, address, timestamp])
        try db.execute(sql: """
            DELETE FROM \(table) WHERE \(owner) = ?1 AND address NOT IN
                (SELECT address FROM \(table) WHERE \(owner) = ?1 ORDER BY last_seen DESC LIMIT ?2)
            """, arguments: [id, keep])
    }
}
