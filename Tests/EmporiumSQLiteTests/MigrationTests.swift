import EmporiumCore
import EmporiumSchema
import EmporiumSQLite
import Foundation
import GRDB
import Testing

@Suite("Migrations: applied once, recorded, never run against a newer schema")
struct MigrationTests {
    @Test func freshDataDirMigratesAndASecondStartChangesNothing() async throws {
        // Given a fresh data dir opened once
        let config = try temporaryConfig()
        let first = try SQLiteBackend(config: config)
        let tenant = UUID()
        try await first.registry.provision(tenantID: tenant)
        #expect(try first.system.appliedMigrations() == SchemaMigrations.system.map(\.identifier))
        await first.shutdown()
        let tenantPath = await first.registry.path(for: tenant)
        let systemBefore = try schemaAndMigrations(config.systemDatabasePath)
        let tenantBefore = try schemaAndMigrations(tenantPath)
        #expect(tenantBefore.contains("0002_create_catalog"))

        // When it is opened again (and the tenant file too)
        let second = try SQLiteBackend(config: config)
        try await second.registry.withDatabase(tenant) { _ in }
        await second.shutdown()

        // Then no migration ran again (same rows, same timestamps) and the schema is identical
        #expect(try schemaAndMigrations(config.systemDatabasePath) == systemBefore)
        #expect(try schemaAndMigrations(tenantPath) == tenantBefore)
    }

    /// The schema text of every object plus the migration records, as one comparable string.
    func schemaAndMigrations(_ path: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let schema = try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
            let migrations = try Row.fetchAll(db, sql: "SELECT * FROM grdb_migrations ORDER BY identifier")
            return (schema + migrations).map(\.description).joined(separator: "\n")
        }
    }

    @Test func tenantSchemaHasTheOriginalTablesWithConstraints() async throws {
        let config = try temporaryConfig()
        let registry = TenantDatabaseRegistry(config: config)
        let tenant = UUID()
        try await registry.provision(tenantID: tenant)
        let facts = try await registry.withDatabase(tenant) { database in
            try await database.write { db -> (tables: [Bool], journal: String?, foreignKeys: Int?, synchronous: Int?, badRole: Bool, badJSON: Bool) in
                let tables = try ["users", "audit_logs", "system_config", "categories", "products"].map { try db.tableExists($0) }
                // Enum CHECK: an unknown role is refused by the schema itself
                let badRole = (try? db.execute(sql: """
                    INSERT INTO users (id, email, password_hash, first_name, last_name, role)
                    VALUES ('3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'a@b.co', '$2b$10$abcdefghijklmnopqrstuv', 'A', 'B', 'superuser')
                    """)) != nil
                // JSON CHECK: permissions must be a JSON array
                let badJSON = (try? db.execute(sql: """
                    INSERT INTO users (id, email, password_hash, first_name, last_name, permissions)
                    VALUES ('3f2504e0-4f89-11d3-9a0c-0305e82c3302', 'c@d.co', '$2b$10$abcdefghijklmnopqrstuv', 'A', 'B', '{not json')
                    """)) != nil
                return (tables, try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                        try Int.fetchOne(db, sql: "PRAGMA synchronous"), badRole, badJSON)
            }
        }
        #expect(facts.tables.allSatisfy { $0 })
        #expect(facts.journal == "wal")
        #expect(facts.foreignKeys == 1)
        #expect(facts.synchronous == 2) // FULL
        #expect(!facts.badRole)
        #expect(!facts.badJSON)
        await registry.closeAll()
    }

    @Test func synchronousSettingIsApplied() async throws {
        let config = try temporaryConfig(["DB_SYNCHRONOUS": "normal"])
        let registry = TenantDatabaseRegistry(config: config)
        let tenant = UUID()
        try await registry.provision(tenantID: tenant)
        // The writer connection is the one whose setting governs durability.
        let level = try await registry.withDatabase(tenant) { db in try await db.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } }
        #expect(level == 1) // NORMAL
        await registry.closeAll()
    }

    @Test func aTenantFileWithANewerSchemaIsRefusedAndLeftUntouched() async throws {
        // Given a tenant file that a newer binary migrated further
        let config = try temporaryConfig()
        let registry = TenantDatabaseRegistry(config: config)
        let tenant = UUID()
        try await registry.provision(tenantID: tenant)
        await registry.closeAll()
        let path = await registry.path(for: tenant)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('9999_from_the_future')")
        }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        // When this binary opens it
        let fresh = TenantDatabaseRegistry(config: config)
        await #expect(throws: SchemaTooNewError.self) {
            try await fresh.withDatabase(tenant) { _ in }
        }

        // Then the error names the unknown migration and the file is byte-for-byte unchanged
        do {
            try await fresh.withDatabase(tenant) { _ in }
        } catch let error as SchemaTooNewError {
            #expect(error.unknownMigrations == ["9999_from_the_future"])
            #expect(error.description.contains("newer schema"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aSystemDatabaseWithANewerSchemaIsRefused() async throws {
        let config = try temporaryConfig()
        let backend = try SQLiteBackend(config: config)
        await backend.shutdown()
        let queue = try DatabaseQueue(path: config.systemDatabasePath)
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('0999_newer')") }
        try queue.close()
        #expect(throws: SchemaTooNewError.self) { _ = try SQLiteBackend(config: config) }
    }

    /// Every .sql file under sql/ must be listed in `SchemaMigrations` (and so in Package.swift,
    /// or the build fails): a migration cannot be forgotten.
    @Test func everySQLFileIsRegisteredInOrder() throws {
        let sqlFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("sql")
        for (kind, registered) in [("system", SchemaMigrations.system), ("tenant", SchemaMigrations.tenant)] {
            let files = try FileManager.default.contentsOfDirectory(atPath: sqlFolder.appendingPathComponent(kind).path)
                .filter { $0.hasSuffix(".sql") }.map { String($0.dropLast(4)) }.sorted()
            #expect(registered.map(\.identifier) == files, "\(kind)")
        }
    }
}
