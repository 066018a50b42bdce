import EmporiumCore
@testable import EmporiumSQLite
import Foundation
import GRDB
import Testing

/// A cold shop's first reads run on the writer's connection: with 10,000 shops and an LRU of 256,
/// nearly every request opens a file for a read or two, and a reader made for them was a second
/// connection to open, parse the schema on and close again.
@Suite("Shop files: a cold shop's first reads need no second connection")
struct ColdReadTests {
    @Test func openingAShopAndItsFirstReadsUseOneConnection() async throws {
        let (config, tenant, path) = try await closedShop()
        let registry = TenantDatabaseRegistry(config: config)
        let (whileFirstReads, afterMoreReads) = try await registry.withDatabase(tenant) { database in
            // A listing's two reads (its facets, then its page).
            for _ in 0..<2 {
                _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products") }
            }
            let first = try Self.connections(to: path)
            for _ in 0..<TenantDatabase.readsOnWriter {
                _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products") }
            }
            return (first, try Self.connections(to: path))
        }
        await registry.closeAll()

        #expect(whileFirstReads == 1)
        // Later reads go to the pool's readers, beside the writer.
        #expect(afterMoreReads == 2)
    }

    @Test func aReadOnTheWriterCannotWrite() async throws {
        let (config, tenant, _) = try await closedShop()
        let registry = TenantDatabaseRegistry(config: config)
        let count = try await registry.withDatabase(tenant) { database in
            await #expect(throws: DatabaseError.self) {
                try await database.read { db in try db.execute(sql: "CREATE TABLE sneaked (value TEXT)") }
            }
            return try await database.read { db in try db.tableExists("sneaked") }
        }
        await registry.closeAll()
        #expect(count == false)
    }

    @Test func readsOnTheWriterSeeCommittedWritesAndPassOnTheirErrors() async throws {
        let (config, tenant, _) = try await closedShop()
        let registry = TenantDatabaseRegistry(config: config)
        let (seen, afterFailure) = try await registry.withDatabase(tenant) { database in
            try await database.write { db in try db.execute(sql: "CREATE TABLE kept (value TEXT); INSERT INTO kept VALUES ('committed')") }
            let seen = try await database.read { db in try String.fetchOne(db, sql: "SELECT value FROM kept") }
            await #expect(throws: DomainError.self) {
                try await database.read { _ -> Int in throw DomainError.notFound("no such thing") }
            }
            // The failed read left no transaction open on the writer: writes and reads carry on.
            try await database.write { db in try db.execute(sql: "INSERT INTO kept VALUES ('after')") }
            return (seen, try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM kept") })
        }
        await registry.closeAll()
        #expect(seen == "committed")
        #expect(afterFailure == 2)
    }

    /// Open descriptors of this process on the database file itself: one per SQLite connection.
    private static func connections(to path: String) throws -> Int {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) == target
        }.count
    }
}
