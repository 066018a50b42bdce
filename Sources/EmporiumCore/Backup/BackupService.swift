import Foundation

/// Backups and restores as operators ask for them (command line, platform API, the schedule):
/// resolves the shop, records success and failure for `/metrics`, and drops the shop's cached
/// answers after a restore so nothing from before it is served.
public struct BackupService: Sendable {
    let tenants: TenantService
    let store: any TenantBackupStore
    let cache: MemoryCache
    public let status: BackupStatus
    let now: @Sendable () -> Date

    public init(tenants: TenantService, store: any TenantBackupStore, cache: MemoryCache, status: BackupStatus,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.tenants = tenants
        self.store = store
        self.cache = cache
        self.status = status
        self.now = now
    }

    /// Backs up one shop (by subdomain or id) into `directory` (default `BACKUP_DIR`).
    public func backup(_ reference: String, into directory: String? = nil) async throws -> BackupRecord {
        let tenant = try await tenants.find(reference)
        do {
            let record = try await store.backup(tenant, into: directory)
            status.succeeded(at: record.createdAt)
            return record
        } catch {
            status.failed(at: now())
            throw error
        }
    }

    /// Backs up every shop (active and suspended); one failing shop does not stop the others.
    public func backupAll(into directory: String? = nil) async throws -> (records: [BackupRecord], failures: [(subdomain: String, error: any Error)]) {
        var records: [BackupRecord] = []
        var failures: [(String, any Error)] = []
        for tenant in try await tenants.all() {
            do {
                records.append(try await backup(tenant.id.lowercased, into: directory))
            } catch {
                failures.append((tenant.subdomain, error))
            }
        }
        return (records, failures)
    }

    public func backups(of reference: String) async throws -> [BackupRecord] {
        try store.backups(of: try await tenants.find(reference))
    }

    /// Verifies `file` and swaps it in as the shop's database; refused files change nothing.
    public func restore(_ reference: String, from file: String, force: Bool) async throws -> RestoreResult {
        let tenant = try await tenants.find(reference)
        let result = try await store.restore(tenant, from: file, force: force)
        cache.invalidate(tenant: tenant.id)
        return result
    }

    /// Writes one shop (data and record) to `file`, to move it to another box.
    public func export(_ reference: String, to file: String) async throws -> BackupRecord {
        try await store.export(try await tenants.find(reference), to: file)
    }

    /// Recreates a shop from an export; the shop directory forgets any "no such shop" it cached.
    public func importShop(from file: String, subdomain: String?) async throws -> Tenant {
        let tenant = try await store.importShop(from: file, subdomain: subdomain)
        await tenants.learnOf(tenant.id)
        return tenant
    }

    /// Recreates a shop this box does not hold from its newest backup in `folder` (a standby's copy of
    /// a lost node's backups). Returns the shop and the backup's time: how old its data is.
    public func importNewest(labelled label: String, from folder: String) async throws -> (tenant: Tenant, backup: BackupRecord) {
        guard let record = try store.newestBackup(labelled: label, in: folder) else {
            throw DomainError.notFound("No backup of \(label) with a checksum manifest in that folder")
        }
        return (try await importShop(from: record.file, subdomain: nil), record)
    }

    /// The newest backup time among every shop's files, to seed `status` when the server starts.
    public func newestBackup() async throws -> Date? {
        var newest: Date?
        for tenant in try await tenants.all() {
            if let date = try store.backups(of: tenant).first?.createdAt { newest = max(newest ?? date, date) }
        }
        return newest
    }
}
