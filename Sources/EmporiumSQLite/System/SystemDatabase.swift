import EmporiumCore
import EmporiumSchema
import Foundation
import GRDB
import Synchronization

/// The system database (`<DATA_DIR>/system.sqlite`): the tenants table and platform operators.
/// One pool per process, opened and migrated at start.
public final class SystemDatabase: Sendable {
    let pool: DatabasePool
    public let path: String
    /// GRDB must not be used after `close()`; every access checks this first.
    private let closed = Mutex(false)

    /// Opens and migrates the system database, creating the data directory layout if needed.
    public init(config: AppConfig) throws {
        for directory in [config.dataDirectory, config.tenantsDirectory, config.backupsDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        self.path = config.systemDatabasePath
        self.pool = try DatabaseOpener(synchronous: config.dbSynchronous).open(path: path, migrations: SchemaMigrations.system)
    }

    /// A cheap query proving the database answers (used by `/health`).
    public func ping() async throws {
        _ = try await read { db in try TenantRecord.fetchCount(db) }
    }

    /// Identifiers of the migrations applied, in order (for `emporium migrate` output and tests).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        guard !isClosed else { throw DomainError.unavailable("The system database is closed") }
        return try await pool.read(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        guard !isClosed else { throw DomainError.unavailable("The system database is closed") }
        return try await pool.write(body)
    }

    func meta(_ key: String) throws -> String? {
        try pool.read { db in try SystemMetaRecord.fetchOne(db, key: key)?.value }
    }

    func setMeta(_ key: String, _ value: String) throws {
        try pool.write { db in
            try SystemMetaRecord(key: key, value: value, updatedAt: Date()).upsert(db)
        }
    }

    public var isClosed: Bool { closed.withLock { $0 } }

    /// Checkpoints the WAL into the main file and closes every connection. Later calls do nothing.
    public func close() throws {
        let alreadyClosed = closed.withLock { value in
            defer { value = true }
            return value
        }
        guard !alreadyClosed else { return }
        try pool.checkpointBeforeClose()
        try pool.closeWriterLast()
    }
}
