import EmporiumCore
import EmporiumSchema
import Foundation
import GRDB

/// The system database (`<DATA_DIR>/system.sqlite`): the tenants table and platform operators.
/// One pool per process, opened and migrated at start.
public final class SystemDatabase: Sendable {
    let pool: DatabasePool
    public let path: String

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
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM tenants") }
    }

    /// Identifiers of the migrations applied, in order (for `emporium migrate` output and tests).
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
    }

    /// Checkpoints the WAL into the main file and closes every connection.
    public func close() throws {
        try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try pool.close()
    }
}
