import Foundation

/// The users admin API: staff manage the shop's accounts. Owners are protected: only an owner may
/// create, promote to, demote or delete an owner, and the last owner can never be removed or demoted.
public struct UserService: Sendable {
    let storage: any TenantStorage
    let hasher: any PasswordHasher
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, hasher: any PasswordHasher, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.hasher = hasher
        self.now = now
    }

    public struct NewUser: Sendable {
        public var email: String
        public var password: String
        public var firstName: String
        public var lastName: String
        public var role: Role
        public var permissions: [String]

        public init(email: String, password: String, firstName: String, lastName: String, role: Role, permissions: [String] = []) {
            self.email = email
            self.password = password
            self.firstName = firstName
            self.lastName = lastName
            self.role = role
            self.permissions = permissions
        }
    }

    public struct Patch: Sendable {
        public var email: String?
        public var password: String?
        public var firstName: String?
        public var lastName: String?
        public var role: Role?
        public var permissions: [String]?

        public init(email: String? = nil, password: String? = nil, firstName: String? = nil, lastName: String? = nil,
                    role: Role? = nil, permissions: [String]? = nil) {
            self.email = email
            self.password = password
            self.firstName = firstName
            self.lastName = lastName
            self.role = role
            self.permissions = permissions
        }
    }

    public func list(in tenantID: UUID, search: String?, role: Role?, page: Page, by actor: Actor) async throws -> (users: [User], total: Int) {
        try actor.require(.usersRead)
        let search = search?.trimmingCharacters(in: .whitespaces).prefix(100).description
        return try await storage.read(tenantID) { tx in
            (try tx.users.list(search: search, role: role, page: page), try tx.users.count(search: search, role: role))
        }
    }

    public func get(in tenantID: UUID, id: UUID, by actor: Actor) async throws -> User {
        try actor.require(.usersRead)
        let user = try await storage.read(tenantID) { tx in try tx.users.user(id: id) }
        guard let user else { throw DomainError.notFound("No user \(id.lowercased)") }
        return user
    }

    public func create(in tenantID: UUID, _ input: NewUser, by actor: Actor) async throws -> User {
        try actor.require(.usersWrite)
        try Self.checkOwnerRule(actor: actor, touching: input.role)
        var issues: [FieldIssue] = []
        let fields = collect(&issues) { try UserFields.validate(email: input.email, firstName: input.firstName, lastName: input.lastName) }
        _ = collect(&issues) { try PasswordPolicy.validate(input.password) }
        let extra = collect(&issues) { try Self.permissions(input.permissions) }
        guard issues.isEmpty, let fields, let extra else { throw DomainError.validation(issues) }
        try Self.checkGrant(actor: actor, role: input.role, extra: extra)
        let hash = try await hasher.hash(input.password)
        let timestamp = now()
        let user = User(id: UUID(), email: fields.email, passwordHash: hash, firstName: fields.firstName, lastName: fields.lastName,
                        role: input.role, extraPermissions: extra, createdAt: timestamp, updatedAt: timestamp)
        try await storage.write(tenantID) { tx in
            try tx.users.insert(user)
            try tx.audit.record(AuditEntry("user.created", on: "user", id: user.id.lowercased, by: actor, new: user.auditValues, at: timestamp))
        }
        return user
    }

    public func update(in tenantID: UUID, id: UUID, _ patch: Patch, by actor: Actor) async throws -> User {
        try actor.require(.usersWrite)
        var issues: [FieldIssue] = []
        if let password = patch.password { _ = collect(&issues) { try PasswordPolicy.validate(password) } }
        let extra = patch.permissions.flatMap { list in collect(&issues) { try Self.permissions(list) } }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        let hash: String? = if let password = patch.password { try await hasher.hash(password) } else { nil }
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            guard var user = try tx.users.user(id: id) else { throw DomainError.notFound("No user \(id.lowercased)") }
            let before = user.auditValues
            if user.role == .owner || patch.role == .owner {
                try Self.checkOwnerRule(actor: actor, touching: .owner)
            }
            try Self.checkReach(actor: actor, over: user)
            try Self.checkGrant(actor: actor, role: patch.role ?? user.role, extra: extra ?? user.extraPermissions)
            if user.role == .owner, let role = patch.role, role != .owner, try tx.users.count(role: .owner) <= 1 {
                throw DomainError.conflict("The last owner cannot be demoted")
            }
            let fields = try UserFields.validate(email: patch.email ?? user.email, firstName: patch.firstName ?? user.firstName,
                                                 lastName: patch.lastName ?? user.lastName)
            user.email = fields.email
            user.firstName = fields.firstName
            user.lastName = fields.lastName
            if let role = patch.role { user.role = role }
            if let extra { user.extraPermissions = extra }
            if let hash {
                user.passwordHash = hash
                user.tokensValidAfter = timestamp
                try tx.refreshTokens.revokeAll(userID: user.id, at: timestamp)
            }
            user.updatedAt = timestamp
            try tx.users.update(user)
            var after = user.auditValues
            if hash != nil, case .object(var values) = after {
                values["password"] = .string("changed")
                after = .object(values)
            }
            try tx.audit.record(AuditEntry("user.updated", on: "user", id: user.id.lowercased, by: actor, old: before, new: after, at: timestamp))
            return user
        }
    }

    /// Deletes the account; its refresh tokens go with it (foreign key cascade) and its access
    /// tokens stop working at once, since every request looks the user up.
    public func delete(in tenantID: UUID, id: UUID, by actor: Actor) async throws {
        try actor.require(.usersWrite)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            guard let user = try tx.users.user(id: id) else { throw DomainError.notFound("No user \(id.lowercased)") }
            try Self.checkReach(actor: actor, over: user)
            if user.role == .owner {
                try Self.checkOwnerRule(actor: actor, touching: .owner)
                if try tx.users.count(role: .owner) <= 1 { throw DomainError.conflict("The last owner cannot be deleted") }
            }
            // Recorded first: the row may name the deleted user as the actor (self-deletion), and the
            // foreign key then sets that to null instead of refusing the insert.
            try tx.audit.record(AuditEntry("user.deleted", on: "user", id: id.lowercased, by: actor, old: user.auditValues, at: timestamp))
            try tx.users.delete(id: id)
        }
    }

    static func checkOwnerRule(actor: Actor, touching role: Role) throws {
        if role == .owner, actor.role != .owner {
            throw DomainError.forbidden("Only an owner can manage owners")
        }
    }

    /// No one grants more than they hold: the role's permissions and the extra ones must all be
    /// the granter's own. So a staff member given `users:write` cannot make anyone, themselves
    /// included, an admin.
    static func checkGrant(actor: Actor, role: Role, extra: Set<Permission>) throws {
        let beyond = role.permissions.union(extra).subtracting(actor.permissions)
        guard beyond.isEmpty else {
            let names = beyond.map(\.rawValue).sorted().prefix(5).joined(separator: ", ")
            throw DomainError.forbidden("You cannot grant permissions you do not hold (\(names))")
        }
    }

    /// No one changes or deletes an account that holds permissions they lack.
    static func checkReach(actor: Actor, over user: User) throws {
        guard Set(user.permissions).isSubset(of: actor.permissions) else {
            throw DomainError.forbidden("This account holds permissions you do not; only someone holding them all can change it")
        }
    }

    static func permissions(_ raw: [String]) throws -> Set<Permission> {
        let known = Set(Permission.all.map(\.rawValue))
        let unknown = raw.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw DomainError.invalid("permissions", "unknown: " + unknown.prefix(5).joined(separator: ", "))
        }
        return Set(raw.map(Permission.init(rawValue:)))
    }
}
