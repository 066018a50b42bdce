import EmporiumCore
import Foundation
import GRDB
import Logging
import Synchronization

/// One shop's open database file. Handed out by `TenantDatabaseRegistry` for the duration of a
/// `withDatabase` call; never kept beyond it, so the registry may close it when evicted.
public final class TenantDatabase: Sendable {
    public let tenantID: UUID
    public let path: String
    let pool: DatabasePool
    private let writer: GroupCommitWriter
    /// Checkpoints the WAL beside the writer (the pool's writer has `wal_autocheckpoint=0`).
    let checkpointer: WALCheckpointer
    /// How many of the file's first reads run on the writer (see `read`).
    private let readsOnWriterLeft = Mutex(TenantDatabase.readsOnWriter)
    static let readsOnWriter = 4

    init(tenantID: UUID, path: String, pool: DatabasePool) {
        self.tenantID = tenantID
        self.path = path
        self.pool = pool
        let checkpointer = WALCheckpointer(path: path)
        self.checkpointer = checkpointer
        self.writer = GroupCommitWriter(pool: pool) { db in checkpointer.committed(db) }
    }

    /// Runs `body` as one atomic unit of a use case: alone in a transaction, or in a savepoint of
    /// a transaction shared with the writes that arrived at the same time (group commit). Returns
    /// once its write is committed.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// Runs `body` in a read-only transaction: a consistent snapshot of committed data.
    ///
    /// The file's first reads run on the writer's connection, which the open has set up and parsed
    /// the schema on already; later ones on the pool's readers, which read beside the writer. With
    /// more shops than `MAX_OPEN_TENANTS`, most files are opened for a request or two and closed again,
    /// and a reader made for them was a second connection to open, parse the schema on (~1 ms of CPU
    /// for a shop's schema) and close, for every cold request.
    ///
    /// A read runs within what the calling request's `QueryBudget` has left: past it, the statement
    /// is interrupted, logged, and the read throws `QueryBudget.exceeded`. Writes are not: they are
    /// short, and an interrupt inside a group commit would roll back the other requests' writes
    /// sharing its transaction.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let budget = QueryBudget.current
        do {
            guard takeReadOnWriter() else {
                return try await pool.read { db in try ProgressDeadline.run(db, within: budget) { try body(db) } }
            }
            return try await pool.writeWithoutTransaction { db in
                try ProgressDeadline.run(db, within: budget) { try Self.inReadOnlyTransaction(db, body) }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && budget != nil {
            Logger(label: "emporium.tenants").warning("query budget exceeded: the read was interrupted",
                                                      metadata: ["tenantId": "\(tenantID)", "sql": "\(error.sql?.prefix(200) ?? "")"])
            throw QueryBudget.exceeded
        }
    }

    /// True for the file's first `readsOnWriter` reads, once each.
    private func takeReadOnWriter() -> Bool {
        readsOnWriterLeft.withLock { left in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
    }

    /// What `DatabasePool.read` does on a reader: query-only, in a transaction of its own.
    private static func inReadOnlyTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.readOnly {
            var result: T?
            try db.inTransaction(.deferred) {
                result = try body(db)
                return .commit
            }
            guard let result else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "read transaction ended without running") }
            return result
        }
    }

    /// A TRUNCATE checkpoint on the writer: every frame copied into the main file, then the WAL cut
    /// to zero bytes. It waits (busy timeout) for readers of older snapshots and for a passive
    /// checkpoint running beside the writer; still busy after a few tries, it fails, and the caller
    /// may try again: the erasure itself is committed either way.
    func truncateLog() async throws {
        for attempt in 1...5 {
            do {
                let result = try await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
                if result.walFrameCount == 0 || result.walFrameCount == result.checkpointedFrameCount { return }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                if attempt == 5 { throw error }
            }
            try await Task.sleep(for: .milliseconds(50 * attempt))
        }
        throw DatabaseError(resultCode: .SQLITE_BUSY, message: "the write-ahead log of \(tenantID) could not be emptied")
    }

    /// Checkpoints the WAL into the main file and closes every connection.
    func close() throws {
        checkpointer.close()
        // The pool is closed even if the checkpoint fails. Busy (the shop was opened again
        // meanwhile by a newer pool, or by another process) is no failure: that one checkpoints it.
        let checkpointed = Result { try pool.checkpointBeforeClose() }
        try pool.closeWriterLast()
        _ = try checkpointed.get()
    }
}
