import Foundation

/// One backup file of one shop: `<subdomain>-<UTC time>.sqlite.gz` with `<file>.sha256` beside it.
public struct BackupRecord: Sendable, Codable, Equatable {
    public let tenantID: UUID
    public let subdomain: String
    /// Absolute path of the `.sqlite.gz` file.
    public let file: String
    /// SHA-256 of the `.sqlite.gz` file, as its `.sha256` manifest records it.
    public let sha256: String
    public let bytes: Int
    public let createdAt: Date

    public init(tenantID: UUID, subdomain: String, file: String, sha256: String, bytes: Int, createdAt: Date) {
        self.tenantID = tenantID
        self.subdomain = subdomain
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.createdAt = createdAt
    }
}

/// What a restore did: which file now serves the shop and where the replaced one was kept.
public struct RestoreResult: Sendable, Codable, Equatable {
    public let tenantID: UUID
    public let restoredFrom: String
    /// The shop the backup was taken from (differs from `tenantID` only for a forced restore).
    public let backupOf: UUID?
    /// The live file as it was before the restore, kept beside it as `<file>.pre-restore-<time>`.
    public let previousFileKeptAt: String

    public init(tenantID: UUID, restoredFrom: String, backupOf: UUID?, previousFileKeptAt: String) {
        self.tenantID = tenantID
        self.restoredFrom = restoredFrom
        self.backupOf = backupOf
        self.previousFileKeptAt = previousFileKeptAt
    }
}

/// Online backups and verified restores of shop databases (DESIGN.md §8, operations).
public protocol TenantBackupStore: Sendable {
    /// Takes a consistent backup while the shop keeps serving, into `directory` (default
    /// `BACKUP_DIR`), then deletes that shop's backups beyond `BACKUP_RETENTION` in that folder.
    func backup(_ tenant: Tenant, into directory: String?) async throws -> BackupRecord
    /// The shop's backups in `BACKUP_DIR`, newest first.
    func backups(of tenant: Tenant) throws -> [BackupRecord]
    /// The newest backup named for `label` (a shop's subdomain, or its id) in `folder`, with its
    /// time read from the file's name, or nil. Used for shops this box does not hold (yet): a
    /// standby's copies of another node's backups.
    func newestBackup(labelled label: String, in folder: String) throws -> BackupRecord?
    /// Verifies `file` (checksum manifest, complete gzip, `PRAGMA integrity_check`, schema not newer,
    /// taken from this shop unless `force`) and only then swaps it in. A refused file changes nothing.
    func restore(_ tenant: Tenant, from file: String, force: Bool) async throws -> RestoreResult
    /// The same online backup as one file of the caller's choosing (plus its `.sha256`): the shop's
    /// data and its system record, to move it to another box.
    func export(_ tenant: Tenant, to file: String) async throws -> BackupRecord
    /// Recreates a shop from an export (or backup) made on another box: same id and record,
    /// optionally under another subdomain. Refused when the shop already exists here.
    func importShop(from file: String, subdomain: String?) async throws -> Tenant
}
