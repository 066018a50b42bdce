import Crypto
import EmporiumCore
import EmporiumSupport
import EmporiumSchema
import Foundation
import GRDB

/// Backups of shop files: SQLite's online backup into a temporary file, the shop's system record
/// stored in the copy, gzip, then `<file>.sha256` in `sha256sum` format. Restores verify everything
/// on a scratch copy in the tenants folder before the registry swaps it in with one rename.
public struct SQLiteTenantBackups: TenantBackupStore {
    let registry: TenantDatabaseRegistry
    let tenants: any TenantStore
    let backupsDirectory: String
    let tenantsDirectory: String
    let retention: Int
    let now: @Sendable () -> Date

    public func backup(_ tenant: Tenant, into directory: String?) async throws -> BackupRecord {
        let folder = directory ?? backupsDirectory
        let createdAt = now()
        let record = try await write(tenant, to: folder + "/\(tenant.fileLabel)-\(TenantDatabaseRegistry.timestamp(createdAt, milliseconds: true)).sqlite.gz", at: createdAt)
        try pruneOldBackups(of: tenant, in: folder)
        return record
    }

    /// Compressed at gzip's fastest level: an export is a shop on its way to another node, often
    /// while its writes wait (`fleet move`). Over 100,000 orders level 1 took 2.4 s against 5.5 s
    /// for level 6, for a file 10 % larger (docs/fleet.md).
    public func export(_ tenant: Tenant, to file: String) async throws -> BackupRecord {
        try await write(tenant, to: file, at: now(), level: 1)
    }

    /// The online backup of `tenant` as `file` (gzip at `level`) plus `file.sha256`.
    private func write(_ tenant: Tenant, to file: String, at createdAt: Date, level: Int32 = 6) async throws -> BackupRecord {
        let folder = (file as NSString).deletingLastPathComponent
        let name = (file as NSString).lastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let scratch = folder + "/." + name + ".partial.sqlite"
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        try await registry.backup(tenantID: tenant.id, to: scratch)
        let record = try String(decoding: JSONEncoder.backupRecord.encode(tenant), as: UTF8.self)
        let copy = try DatabaseQueue(path: scratch)
        try await copy.write { db in try ShopIdentity.write(db, tenantID: tenant.id, record: record) }
        try await copy.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        try copy.close()
        try Gzip.compress(file: scratch, to: file, level: level)

        let digest = try Self.sha256(of: file)
        try Data("\(digest)  \(name)\n".utf8).write(to: URL(fileURLWithPath: file + ".sha256"), options: .atomic)
        let bytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        return BackupRecord(tenantID: tenant.id, subdomain: tenant.subdomain, file: file, sha256: digest, bytes: bytes, createdAt: createdAt)
    }

    public func backups(of tenant: Tenant) throws -> [BackupRecord] {
        try Self.files(of: tenant.fileLabel, in: backupsDirectory).reversed().compactMap { file in
            guard let digest = Self.manifestDigest(of: file) else { return nil }
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            return BackupRecord(tenantID: tenant.id, subdomain: tenant.subdomain, file: file, sha256: digest,
                                bytes: attributes[.size] as? Int ?? 0, createdAt: attributes[.modificationDate] as? Date ?? .distantPast)
        }
    }

    /// The digest `file.sha256` records for `file`, or nil while it has none (a copy still arriving).
    private static func manifestDigest(of file: String) -> String? {
        guard let manifest = try? String(contentsOfFile: file + ".sha256", encoding: .utf8) else { return nil }
        return manifest.split(separator: " ").first.map(String.init)
    }

    /// The id a record found by its file name carries until the file is opened: the nil UUID.
    static let unknownShop = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public func newestBackup(labelled label: String, in folder: String) throws -> BackupRecord? {
        // The newest with its manifest: a copy still arriving may lack it for a moment.
        let withManifests = try Self.files(of: label, in: folder).reversed().lazy.compactMap { file -> (String, String)? in
            Self.manifestDigest(of: file).map { (file, $0) }
        }
        guard let (file, digest) = withManifests.first else { return nil }
        let name = (file as NSString).lastPathComponent
        let stamp = String(name.dropFirst(label.count + 1).dropLast(".sqlite.gz".count))
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        let modified = attributes[.modificationDate] as? Date ?? .distantPast
        return BackupRecord(tenantID: UUID(uuidString: label) ?? Self.unknownShop, subdomain: label, file: file, sha256: digest,
                            bytes: attributes[.size] as? Int ?? 0, createdAt: TenantDatabaseRegistry.date(fromTimestamp: stamp) ?? modified)
    }

    public func restore(_ tenant: Tenant, from file: String, force: Bool) async throws -> RestoreResult {
        let scratch = scratchPath()
        defer { removeScratch(scratch) }
        let contents = try unpack(file, requireManifest: true, into: scratch)
        if let owner = contents.owner, owner != tenant.id {
            guard force else {
                throw DomainError.conflict("This backup belongs to another shop (\(owner.lowercased)); restore it into \(tenant.subdomain) only with force")
            }
            let copy = try DatabaseQueue(path: scratch)
            try await copy.write { db in try ShopIdentity.write(db, tenantID: tenant.id, record: nil) }
            try copy.close()
        }
        let kept = try await registry.replace(tenantID: tenant.id, with: scratch)
        return RestoreResult(tenantID: tenant.id, restoredFrom: file, backupOf: contents.owner, previousFileKeptAt: kept)
    }

    public func importShop(from file: String, subdomain: String?) async throws -> Tenant {
        let scratch = scratchPath()
        defer { removeScratch(scratch) }
        let contents = try unpack(file, requireManifest: false, into: scratch)
        guard let text = contents.record, var tenant = try? JSONDecoder.backupRecord.decode(Tenant.self, from: Data(text.utf8)),
              contents.owner == tenant.id else {
            throw DomainError.invalid("file", "carries no shop record: make it with emporium export (or emporium backup)")
        }
        if let subdomain {
            tenant.subdomain = try HostnameRules.normalizeSubdomain(subdomain)
        }
        tenant = try TenantService.validatedRecord(tenant)
        guard try await tenants.tenant(id: tenant.id) == nil else {
            throw DomainError.conflict("Shop \(tenant.id.lowercased) already exists on this box; delete it first or restore into it")
        }
        let destination = await registry.path(for: tenant.id)
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw DomainError.conflict("A database file for shop \(tenant.id.lowercased) already exists")
        }
        try await tenants.insert(tenant)
        do {
            try FileManager.default.moveItem(atPath: scratch, toPath: destination)
        } catch {
            try? await tenants.delete(id: tenant.id)
            throw error
        }
        return tenant
    }

    private func scratchPath() -> String {
        tenantsDirectory + "/.restore-\(UUID().uuidString.lowercased()).sqlite"
    }

    private func removeScratch(_ scratch: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: scratch + suffix) }
    }

    /// Checks `file` and leaves a verified, decompressed copy at `scratch`: the checksum manifest
    /// (required for restores; checked for imports when present), a complete gzip stream,
    /// `PRAGMA integrity_check`, no migration newer than this binary. Returns the shop the file
    /// belongs to and the shop record it carries. Every refusal names its reason.
    func unpack(_ file: String, requireManifest: Bool, into scratch: String) throws -> (owner: UUID?, record: String?) {
        guard FileManager.default.fileExists(atPath: file) else { throw DomainError.notFound("No backup file at \(file)") }
        let manifest = try? String(contentsOfFile: file + ".sha256", encoding: .utf8)
        if manifest == nil, requireManifest {
            throw DomainError.invalid("file", "has no checksum manifest (\(file).sha256); refusing to restore an unverified file")
        }
        if let manifest {
            guard let expected = manifest.split(separator: " ").first.map(String.init), expected.count == 64,
                  try Self.sha256(of: file) == expected.lowercased() else {
                throw DomainError.invalid("file", "does not match its checksum: the backup is damaged or was changed")
            }
        }
        do {
            try Gzip.decompress(file: file, to: scratch)
        } catch {
            throw DomainError.invalid("file", "is not a complete gzip file: \(error)")
        }
        let copy: DatabaseQueue
        do {
            copy = try DatabaseQueue(path: scratch)
        } catch {
            throw DomainError.invalid("file", "does not hold a SQLite database")
        }
        defer { try? copy.close() }
        do {
            return try copy.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw DomainError.invalid("file", "fails PRAGMA integrity_check: \(check.prefix(3).joined(separator: "; "))")
                }
                let unknown = try SchemaMigrator(SchemaMigrations.tenant).unknownMigrations(db)
                guard unknown.isEmpty else {
                    throw DomainError.invalid("file", "comes from a newer Emporium (unknown migrations \(unknown.joined(separator: ", ")))")
                }
                return (try ShopIdentity.owner(db), try ShopIdentity.record(db))
            }
        } catch let error as DomainError {
            throw error
        } catch {
            throw DomainError.invalid("file", "is not a readable SQLite database: \(error)")
        }
    }

    private func pruneOldBackups(of tenant: Tenant, in folder: String) throws {
        for old in try Self.files(of: tenant.fileLabel, in: folder).dropLast(retention) {
            try? FileManager.default.removeItem(atPath: old)
            try? FileManager.default.removeItem(atPath: old + ".sha256")
        }
    }

    /// `<subdomain>-<stamp>.sqlite.gz` files in `folder`, oldest first (the stamp sorts by time).
    static func files(of subdomain: String, in folder: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let pattern = #"^\#(NSRegularExpression.escapedPattern(for: subdomain))-\d{8}T\d{6}\.\d{3}Z\.sqlite\.gz$"#
        return names.filter { $0.range(of: pattern, options: .regularExpression) != nil }.sorted().map { folder + "/" + $0 }
    }

    static func sha256(of file: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw DomainError.notFound("Cannot read \(file)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return Hex.string(hasher.finalize())
    }
}

extension JSONEncoder {
    /// The shop record stored in a backup: stable key order, ISO dates.
    static var backupRecord: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    static var backupRecord: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
