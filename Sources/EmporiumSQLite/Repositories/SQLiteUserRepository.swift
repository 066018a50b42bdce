import EmporiumCore
import Foundation
import GRDB

struct SQLiteUserRepository: UserRepository {
    let db: Database

    func insert(_ user: User) throws {
        do {
            try UserRecord(user).insert(db)
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A user with this email already exists")
        }
    }

    func isKnownSignInAddress(userID: UUID, address: String, since: Date) throws -> Bool {
        try UserSignInAddressRecord.isKnown(db, account: userID, address: address, since: since)
    }

    func hasSignInAddresses(userID: UUID) throws -> Bool {
        try UserSignInAddressRecord.hasAny(db, account: userID)
    }

    func rememberSignInAddress(userID: UUID, address: String, at timestamp: Date, keep: Int) throws {
        try UserSignInAddressRecord.remember(db, account: userID, address: address, at: timestamp, keep: keep)
    }

    /// A user deleted meanwhile stays deleted.
    func update(_ user: User) throws {
        do {
            try UserRecord(user).update(db)
        } catch RecordError.recordNotFound {
            return
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A user with this email already exists")
        }
    }

    func delete(id: UUID) throws {
        _ = try UserRecord.deleteOne(db, key: id.lowercased)
    }

    func user(id: UUID) throws -> User? {
        try UserRecord.fetchOne(db, cached: "SELECT * FROM users WHERE id = ?", arguments: [id.lowercased])?.user
    }

    func user(email: String) throws -> User? {
        try UserRecord.filter(UserRecord.Columns.email == email).fetchOne(db)?.user
    }

    func list(search: String?, role: Role?, page: Page) throws -> [User] {
        try Self.filter(search: search, role: role)
            .order(UserRecord.Columns.createdAt, UserRecord.Columns.id)
            .limit(page.limit, offset: page.offset)
            .fetchAll(db).map(\.user)
    }

    func count(search: String?, role: Role?) throws -> Int {
        try Self.filter(search: search, role: role).fetchCount(db)
    }

    func count(role: Role) throws -> Int {
        try UserRecord.filter(UserRecord.Columns.role == role.rawValue).fetchCount(db)
    }

    /// `search` matches email or names anywhere (LIKE with `%` and `_` escaped).
    static func filter(search: String?, role: Role?) -> QueryInterfaceRequest<UserRecord> {
        var request = UserRecord.all()
        if let search, !search.isEmpty {
            let pattern = "%" + search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            let columns = [UserRecord.Columns.email, UserRecord.Columns.firstName, UserRecord.Columns.lastName]
            request = request.filter(columns.map { $0.like(pattern, escape: "\\") }.joined(operator: .or))
        }
        if let role {
            request = request.filter(UserRecord.Columns.role == role.rawValue)
        }
        return request
    }
}
