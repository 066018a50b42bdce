@testable import EmporiumSQLite
import EmporiumCore
import Foundation
import GRDB
import Testing

/// Closing a database that another process still reads: the load harness ran four `emporium tenant
/// create` at once, and each close waited out the 5 s busy timeout on its WAL checkpoint, then
/// logged "closing the system database failed: database is locked" (creating 10,000 shops spent
/// more than half its time there). A command next to a running server met the same.
@Suite("Closing beside another reader")
struct CloseCheckpointTests {
    @Test func closingWhileAnotherConnectionHoldsASnapshotSucceedsAndLosesNothing() throws {
        let config = try temporaryConfig()
        let first = try SystemDatabase(config: config)
        // Another "process": a connection of its own, holding a read snapshot open.
        var holdsTransactions = Configuration()
        holdsTransactions.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: config.systemDatabasePath, configuration: holdsTransactions)
        try other.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN DEFERRED")
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM tenants")
        }
        // A write after that snapshot: the WAL now holds frames the reader keeps from being truncated.
        let id = UUID()
        try first.pool.write { db in
            try db.execute(sql: "INSERT INTO tenants (id, name, subdomain) VALUES (?, 'Kept', 'kept')", arguments: [id.uuidString.lowercased()])
        }
        #expect(try first.pool.checkpointBeforeClose() == false, "the reader's snapshot must stop the truncation")
        try first.close()

        try other.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try other.close()
        let reopened = try SystemDatabase(config: config)
        let name = try reopened.pool.read { db in try String.fetchOne(db, sql: "SELECT name FROM tenants WHERE subdomain = 'kept'") }
        #expect(name == "Kept")
        #expect(try reopened.pool.checkpointBeforeClose(), "alone, the WAL is folded in and truncated")
        try reopened.close()
    }
}
