@testable import EmporiumSQLite
import EmporiumCore
import Foundation
import GRDB
import Synchronization
import TestScratch
import Testing

/// Group commit must be invisible to callers: every write is answered with its own result or its
/// own error, a refused write leaves nothing behind, and the writes that queued behind a running
/// transaction share the next commit.
@Suite("Group commit")
struct GroupCommitTests {
    /// Counts commits of the writer connection.
    final class CommitCounter: TransactionObserver, @unchecked Sendable {
        private let count = Mutex(0)
        var commits: Int { count.withLock { $0 } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { eventKind.tableName == "items" }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { count.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    struct Refused: Error, Equatable { let index: Int }

    private func makePool() throws -> (DatabasePool, String) {
        let directory = scratchPath("group-commit")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let pool = try DatabaseOpener(synchronous: .full).open(path: directory + "/shop.sqlite", migrations: [])
        try pool.write { db in try db.execute(sql: "CREATE TABLE items (n INTEGER PRIMARY KEY)") }
        return (pool, directory)
    }

    /// Holds the writer busy with a first write until `count` others are queued behind it.
    private func queueBehindABlockedWrite(
        _ writer: GroupCommitWriter, count: Int, _ body: @escaping @Sendable (Int) -> (@Sendable (Database) throws -> Int)
    ) async throws -> [Int: Result<Int, any Error>] {
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let first = Task {
            try await writer.write { db in
                started.signal()
                release.wait()
                try db.execute(sql: "INSERT INTO items (n) VALUES (0)")
                return 0
            }
        }
        return try await withThrowingTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            // The first write is running before the others are sent.
            var polls = 0
            while started.wait(timeout: .now()) == .timedOut, polls < 5_000 { polls += 1; try await Task.sleep(for: .milliseconds(1)) }
            for index in 1...count {
                group.addTask {
                    do { return (index, .success(try await writer.write(body(index)))) } catch { return (index, .failure(error)) }
                }
            }
            polls = 0
            while writer.waiting < count, polls < 5_000 { polls += 1; try await Task.sleep(for: .milliseconds(1)) }
            #expect(writer.waiting == count)
            release.signal()
            _ = try await first.value
            var results: [Int: Result<Int, any Error>] = [:]
            for try await (index, result) in group { results[index] = result }
            return results
        }
    }

    @Test func writesQueuedBehindATransactionShareOneCommit() async throws {
        let (pool, directory) = try makePool()
        defer { try? pool.close(); try? FileManager.default.removeItem(atPath: directory) }
        let counter = CommitCounter()
        try await pool.writeWithoutTransaction { db in db.add(transactionObserver: counter, extent: .databaseLifetime) }
        let writer = GroupCommitWriter(pool: pool)

        let results = try await queueBehindABlockedWrite(writer, count: 50) { index in
            { db in
                try db.execute(sql: "INSERT INTO items (n) VALUES (?)", arguments: [index])
                return index * 10
            }
        }

        #expect(results.count == 50)
        for (index, result) in results { #expect(try result.get() == index * 10) }
        let rows = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM items") }
        #expect(rows == 51)
        // The first write alone, then the 50 that waited behind it in one transaction.
        #expect(counter.commits == 2)
    }

    @Test func aRefusedWriteInABatchLeavesNothingAndKeepsTheOthers() async throws {
        let (pool, directory) = try makePool()
        defer { try? pool.close(); try? FileManager.default.removeItem(atPath: directory) }
        let writer = GroupCommitWriter(pool: pool)

        // Every third write inserts its row, then refuses: its row must not survive.
        let results = try await queueBehindABlockedWrite(writer, count: 30) { index in
            { db in
                try db.execute(sql: "INSERT INTO items (n) VALUES (?)", arguments: [index])
                if index % 3 == 0 { throw Refused(index: index) }
                return index
            }
        }

        for (index, result) in results {
            if index % 3 == 0 {
                #expect(throws: Refused(index: index)) { try result.get() }
            } else {
                #expect(try result.get() == index)
            }
        }
        let kept = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM items WHERE n > 0 ORDER BY n") }
        #expect(kept == (1...30).filter { $0 % 3 != 0 })
    }

    @Test func aConstraintViolationRefusesOnlyThatWrite() async throws {
        let (pool, directory) = try makePool()
        defer { try? pool.close(); try? FileManager.default.removeItem(atPath: directory) }
        let writer = GroupCommitWriter(pool: pool)

        // Writes 1...10 each insert their own row; write 5 also re-inserts row 0 (already there).
        let results = try await queueBehindABlockedWrite(writer, count: 10) { index in
            { db in
                try db.execute(sql: "INSERT INTO items (n) VALUES (?)", arguments: [index])
                if index == 5 { try db.execute(sql: "INSERT INTO items (n) VALUES (0)") }
                return index
            }
        }

        #expect(throws: DatabaseError.self) { try results[5]!.get() }
        #expect(results.filter { (try? $0.value.get()) != nil }.count == 9)
        let kept = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM items ORDER BY n") }
        #expect(kept == [0, 1, 2, 3, 4, 6, 7, 8, 9, 10])
    }
}
