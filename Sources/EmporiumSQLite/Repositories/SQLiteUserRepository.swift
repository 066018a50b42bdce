import EmporiumCore
import Foundation
import GRDB

struct SQLiteUserRepository: UserRepository {
    let db: Database

    func insert(_ user: User) throws {
        do {
            try db.execute(
                sql: """
                    INSERT INTO users (id, email, password_hash, first_name, last_name, role, permissions, last_login, login_attempts,
                                       locked_until, tokens_valid_after, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.id.lowercased, user.email, user.passwordHash, user.firstName, user.lastName, user.role.rawValue,
                            try Self.permissionsText(user), user.lastLogin, user.loginAttempts, user.lockedUntil, user.tokensValidAfter,
                            user.createdAt, user.updatedAt]
            )
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A user with this email already exists")
        }
    }

    func isKnownSignInAddress(userID: UUID, address: String, since: Date) throws -> Bool {
        try SignInAddressTable.users.isKnown(db, account: userID, address: address, since: since)
    }

    func rememberSignInAddress(userID: UUID, address: String, at timestamp: Date, keep: Int) throws {
        try SignInAddressTable.users.remember(db, account: userID, address: address, at: timestamp, keep: keep)
    }

    func update(_ user: User) throws {
        do {
            try db.execute(
                sql: """
                    UPDATE users SET email = ?, password_hash = ?, first_name = ?, last_name = ?, role = ?, permissions = ?, last_login = ?,
                                     login_attempts = ?, locked_until = ?, tokens_valid_after = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [user.email, user.passwordHash, user.firstName, user.lastName, user.role.rawValue, try Self.permissionsText(user),
                            user.lastLogin, user.loginAttempts, user.lockedUntil, user.tokensValidAfter, user.updatedAt, user.id.lowercased]
            )
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A user with this email already exists")
        }
    }

    func delete(id: UUID) throws {
        try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id.lowercased])
    }

    func user(id: UUID) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id.lowercased]).map(Self.decode)
    }

    func user(email: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE email = ?", arguments: [email]).map(Self.decode)
    }

    func list(search: String?, role: Role?, page: Page) throws -> [User] {
        let (condition, arguments) = Self.filter(search: search, role: role)
        return try Row.fetchAll(db, sql: "SELECT * FROM users \(condition) ORDER BY created_at, id LIMIT ? OFFSET ?",
                                arguments: arguments + [page.limit, page.offset]).map(Self.decode)
    }

    func count(search: String?, role: Role?) throws -> Int {
        let (condition, arguments) = Self.filter(search: search, role: role)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM users \(condition)", arguments: arguments) ?? 0
    }

    func count(role: Role) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE role = ?", arguments: [role.rawValue]) ?? 0
    }

    /// `search` matches email or names anywhere (LIKE with `%` and `_` escaped).
    static func filter(search: String?, role: Role?) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let search, !search.isEmpty {
            let pattern = "%" + search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            clauses.append("(email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\' OR last_name LIKE ? ESCAPE '\\')")
            arguments += [pattern, pattern, pattern]
        }
        if let role {
            clauses.append("role = ?")
            arguments += [role.rawValue]
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    static func permissionsText(_ user: User) throws -> String {
        try JSONValue.array(user.extraPermissions.sorted().map { .string($0.rawValue) }).jsonText()
    }

    static func decode(_ row: Row) throws -> User {
        let idText: String = row["id"]
        let roleText: String = row["role"]
        let permissionsText: String = row["permissions"]
        guard let id = UUID(uuidString: idText), let role = Role(rawValue: roleText),
              case .array(let values) = try JSONValue.parse(permissionsText)
        else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed users row \(idText)")
        }
        let permissions = values.compactMap { value -> Permission? in
            if case .string(let text) = value { return Permission(rawValue: text) }
            return nil
        }
        return User(
            id: id, email: row["email"], passwordHash: row["password_hash"], firstName: row["first_name"], lastName: row["last_name"],
            role: role, extraPermissions: Set(permissions), lastLogin: row["last_login"], loginAttempts: row["login_attempts"],
            lockedUntil: row["locked_until"], tokensValidAfter: row["tokens_valid_after"], createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }
}
