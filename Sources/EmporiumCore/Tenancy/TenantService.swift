import Foundation

/// What a platform operator (or `emporium tenant create`) supplies for a new shop.
public struct NewTenant: Sendable {
    public var name: String
    public var subdomain: String
    public var domain: String?
    public var plan: String?
    public var settings: [String: JSONValue]?

    public init(name: String, subdomain: String, domain: String? = nil, plan: String? = nil, settings: [String: JSONValue]? = nil) {
        self.name = name
        self.subdomain = subdomain
        self.domain = domain
        self.plan = plan
        self.settings = settings
    }
}

/// A partial update of a shop. `domain: .some(nil)` removes the custom domain; a `nil` value inside
/// `settings` removes that key.
public struct TenantPatch: Sendable {
    public var name: String?
    public var subdomain: String?
    public var domain: String??
    public var plan: String?
    public var status: TenantStatus?
    public var settings: [String: JSONValue?]?

    public init(
        name: String? = nil, subdomain: String? = nil, domain: String?? = nil, plan: String? = nil,
        status: TenantStatus? = nil, settings: [String: JSONValue?]? = nil
    ) {
        self.name = name
        self.subdomain = subdomain
        self.domain = domain
        self.plan = plan
        self.status = status
        self.settings = settings
    }
}

/// The platform's use cases for shops, shared by the platform API and the command line so both
/// validate and provision in exactly the same way.
public struct TenantService: Sendable {
    let store: any TenantStore
    let provisioner: any TenantDatabaseProvisioner
    let directory: TenantDirectory
    let now: @Sendable () -> Date

    public init(
        store: any TenantStore, provisioner: any TenantDatabaseProvisioner, directory: TenantDirectory,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.provisioner = provisioner
        self.directory = directory
        self.now = now
    }

    /// Validates, records the shop, then creates and migrates its database file. If the file cannot
    /// be created the row is removed again, so a shop never exists without its data.
    public func create(_ input: NewTenant) async throws -> Tenant {
        let timestamp = now()
        let tenant = try Self.validated(Tenant(
            id: UUID(), name: input.name, subdomain: input.subdomain, domain: input.domain, plan: input.plan ?? "basic", status: .active,
            settings: input.settings ?? [:], createdAt: timestamp, updatedAt: timestamp
        ))
        try await store.insert(tenant)
        do {
            try await provisioner.provision(tenantID: tenant.id)
        } catch {
            try? await store.delete(id: tenant.id)
            throw error
        }
        // A request for its name just before may have left a cached "no such shop".
        await directory.forget(tenant.id)
        return tenant
    }

    /// A shop the store gained without this service (an import from another node): cached "no such
    /// shop" answers are dropped, so it answers at once rather than after the directory's TTL.
    public func learnOf(_ id: UUID) async {
        await directory.forget(id)
    }

    /// Every shop, a page at a time (scheduled backups, `reseal-settings`).
    public func all() async throws -> [Tenant] {
        var all: [Tenant] = []
        while true {
            let batch = try await list(page: Page(page: all.count / Page.maximumLimit + 1, limit: Page.maximumLimit)).tenants
            all += batch
            if batch.count < Page.maximumLimit { return all }
        }
    }

    public func list(status: TenantStatus? = nil, page: Page = Page()) async throws -> (tenants: [Tenant], total: Int) {
        async let tenants = store.list(status: status, offset: page.offset, limit: page.limit)
        async let total = store.count(status: status)
        return try await (tenants, total)
    }

    /// Finds a shop by its UUID or its subdomain, as the command line and `X-Tenant-ID` allow both.
    public func find(_ reference: String) async throws -> Tenant {
        let found: Tenant?
        if let id = UUID(uuidString: reference) {
            found = try await store.tenant(id: id)
        } else {
            found = try await store.tenant(subdomain: reference.lowercased())
        }
        guard let found else { throw DomainError.notFound("No tenant '\(reference)'") }
        return found
    }

    public func update(_ reference: String, with patch: TenantPatch) async throws -> Tenant {
        let before = try await find(reference)
        var tenant = before
        var issues: [FieldIssue] = []
        if let name = patch.name, let valid = collect(&issues, { try Self.validName(name) }) {
            tenant.name = valid
        }
        if let subdomain = patch.subdomain, let valid = collect(&issues, { try HostnameRules.normalizeSubdomain(subdomain) }) {
            tenant.subdomain = valid
        }
        if let domain = patch.domain {
            if let domain {
                if let valid = collect(&issues, { try HostnameRules.normalizeDomain(domain) }) { tenant.domain = valid }
            } else {
                tenant.domain = nil
            }
        }
        if let plan = patch.plan, let valid = collect(&issues, { try Self.validPlan(plan) }) {
            tenant.plan = valid
        }
        if let status = patch.status {
            tenant.status = status
        }
        if let settings = patch.settings {
            issues += Tenant.settingIssues(settings)
            for (key, value) in settings {
                tenant.settings[key] = value
            }
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        if tenant.currency != before.currency, try await provisioner.holdsAmounts(tenantID: tenant.id) {
            // Amounts are stored in minor units: 10.50 USD is 1050, which KWD (3 decimals) would read as 1.050.
            throw DomainError.conflict("""
                The currency cannot change from \(before.currency) to \(tenant.currency): the shop already has prices, \
                orders, shipping rates or discounts in \(before.currency)
                """)
        }
        tenant.updatedAt = now()
        try await store.update(tenant)
        await directory.forget(tenant.id)
        return tenant
    }

    public func setStatus(_ reference: String, to status: TenantStatus) async throws -> Tenant {
        try await update(reference, with: TenantPatch(status: status))
    }

    /// Archives the shop's file under the backups folder first, then forgets the shop. Returns the
    /// archive's file name so an operator can restore it.
    public func delete(_ reference: String) async throws -> (tenant: Tenant, archive: String) {
        let tenant = try await find(reference)
        let archive = try await provisioner.archive(tenantID: tenant.id, label: tenant.fileLabel)
        try await store.delete(id: tenant.id)
        await directory.forget(tenant.id)
        return (tenant, archive)
    }

    /// A shop record that came from outside the binary (an export or backup file someone may have
    /// edited) held to the rules `create` applies: name, subdomain, domain, plan and settings.
    /// Nothing from it reaches a file name or the system database unchecked.
    public static func validatedRecord(_ record: Tenant) throws -> Tenant {
        do {
            return try validated(record)
        } catch DomainError.validation(let issues) {
            throw DomainError.validation(issues.map { FieldIssue(field: "shop." + $0.field, message: $0.message) })
        }
    }

    /// `record` with name, subdomain, domain and plan normalised, or every failing field at once (422).
    static func validated(_ record: Tenant) throws -> Tenant {
        var issues: [FieldIssue] = []
        let name = collect(&issues) { try validName(record.name) }
        let subdomain = collect(&issues) { try HostnameRules.normalizeSubdomain(record.subdomain) }
        let domain = collect(&issues) { try record.domain.map(HostnameRules.normalizeDomain) }
        let plan = collect(&issues) { try validPlan(record.plan) }
        issues += Tenant.settingIssues(record.settings.mapValues { $0 })
        guard issues.isEmpty, let name, let subdomain, let domain, let plan else { throw DomainError.validation(issues) }
        var tenant = record
        tenant.name = name
        tenant.subdomain = subdomain
        tenant.domain = domain
        tenant.plan = plan
        return tenant
    }

    static func validName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else {
            throw DomainError.invalid("name", "must be 1 to 200 characters")
        }
        return name
    }

    static func validPlan(_ raw: String) throws -> String {
        let plan = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = plan.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard (1...50).contains(plan.count), allowed else {
            throw DomainError.invalid("plan", "must be 1 to 50 letters, digits, '-' or '_'")
        }
        return plan
    }
}

/// Runs one validation, adding its field issues to `issues` instead of stopping at the first one,
/// so a caller sees every problem with the input at once.
func collect<T>(_ issues: inout [FieldIssue], _ check: () throws -> T) -> T? {
    do {
        return try check()
    } catch DomainError.validation(let found) {
        issues.append(contentsOf: found)
        return nil
    } catch {
        issues.append(FieldIssue(field: "", message: "\(error)"))
        return nil
    }
}
