import EmporiumSchema
import Foundation
import GRDB

/// A database file has migrations this binary does not know: it was written by a newer Emporium.
/// We refuse to touch it rather than risk corrupting data we do not understand.
public struct SchemaTooNewError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let unknownMigrations: [String]

    public var description: String {
        "\(path) has a newer schema than this binary knows (unknown migrations: "
            + unknownMigrations.joined(separator: ", ") + "); upgrade emporium before opening it"
    }
}

/// Applies the embedded `.sql` migrations in order with GRDB's `DatabaseMigrator`, one transaction
/// each, recorded in `grdb_migrations`.
struct SchemaMigrator {
    let migrator: DatabaseMigrator
    let known: [String]

    init(_ migrations: [SQLMigration]) {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            let sql = migration.sql
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: sql)
            }
        }
        self.migrator = migrator
        self.known = migrations.map(\.identifier)
    }

    func migrate(_ writer: some DatabaseWriter, path: String) throws {
        // On the writer, not a reader: opening a pool's first reader costs a second connection
        // and a second parse of the schema, for a check the writer's connection answers as well.
        let recorded = try writer.writeWithoutTransaction(Self.recorded)
        let unknown = recorded.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw SchemaTooNewError(path: path, unknownMigrations: unknown)
        }
        // Only open a write transaction when something is missing: a second start writes nothing.
        if recorded.count < known.count {
            try migrator.migrate(writer)
        }
    }

    /// Migrations recorded in `db` that this binary does not know (a newer schema).
    func unknownMigrations(_ db: Database) throws -> [String] {
        try Self.recorded(db).filter { !known.contains($0) }
    }

    private static func recorded(_ db: Database) throws -> [String] {
        guard try db.hasTable("grdb_migrations") else { return [] }
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
    }
}
