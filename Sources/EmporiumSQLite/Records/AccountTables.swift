import GRDB

/// Where an account's sign-in state lives: a shop's users and the platform's operators keep the
/// same two tables under their own names, each naming its account in its own column. The records
/// of those tables (`SignInAddressRecord`, `TwoFactorRecord`) are written once for both.
protocol AccountTables: Sendable {
    static var signInAddresses: String { get }
    static var twoFactor: String { get }
    /// The column naming the account in both tables.
    static var owner: String { get }
}

/// A shop file's `sign_in_addresses` and `user_two_factor`.
enum ShopUserTables: AccountTables {
    static let signInAddresses = "sign_in_addresses"
    static let twoFactor = "user_two_factor"
    static let owner = "user_id"
}

/// The system database's `operator_sign_in_addresses` and `operator_two_factor`.
enum OperatorTables: AccountTables {
    static let signInAddresses = "operator_sign_in_addresses"
    static let twoFactor = "operator_two_factor"
    static let owner = "operator_id"
}

/// A column named at run time: the account's column, whose name depends on the table.
struct ColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
