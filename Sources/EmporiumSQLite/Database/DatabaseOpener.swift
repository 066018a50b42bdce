import EmporiumCore
import EmporiumSchema
import Foundation
import GRDB

/// Opens every database of the appliance the same way: WAL, foreign keys, a busy timeout and the
/// configured `synchronous` level, then applies the embedded migrations.
struct DatabaseOpener: Sendable {
    var synchronous: SynchronousMode
    var busyTimeout: TimeInterval = 5
    var maximumReaders = 4
    /// False for shop files: their `WALCheckpointer` checkpoints beside the writer instead of in its commits.
    var autocheckpoint = true

    func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.maximumReaderCount = maximumReaders
        config.journalMode = .wal
        return config
    }

    /// Opens (creating if needed) and migrates the database at `path`.
    func open(path: String, migrations: [SQLMigration]) throws -> DatabasePool {
        WALPlaceholder.ensure(forDatabaseAt: path)
        let pool = try DatabasePool(path: path, configuration: configuration())
        do {
            // GRDB sets NORMAL on the writer when it enables WAL; the writer connection lives as long
            // as the pool, so setting our level once here governs every transaction.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
                // Deleted rows are overwritten with zeros, not left in free space for a copy of the
                // file to find (erasure); only the writer deletes, so only it needs the setting.
                try db.execute(sql: "PRAGMA secure_delete = ON")
                if !autocheckpoint { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            }
            try SchemaMigrator(migrations).migrate(pool, path: path)
        } catch {
            try? pool.close()
            throw error
        }
        return pool
    }
}
