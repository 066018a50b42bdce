import Foundation
import GRDB

/// One shop's open database file. Handed out by `TenantDatabaseRegistry` for the duration of a
/// `withDatabase` call; never kept beyond it, so the registry may close it when evicted.
public final class TenantDatabase: Sendable {
    public let tenantID: UUID
    public let path: String
    let pool: DatabasePool
    private let writer: GroupCommitWriter
    /// Checkpoints the WAL beside the writer (the pool's writer has `wal_autocheckpoint=0`).
    let checkpointer: WALCheckpointer

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

    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
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
