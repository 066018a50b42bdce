import GRDB

extension DatabasePool {
    /// Folds the WAL into the main file before the pool closes, so a stopped appliance leaves no
    /// WAL behind — when nobody else has the file open. Another process may (the server beside an
    /// `emporium` command, or several commands at once): then the checkpoint gives up after a short
    /// wait instead of the 5 s busy timeout and an error. The WAL holds only committed, durable
    /// transactions; the other process's checkpoints, or the next open, fold it in.
    ///
    /// Returns whether the WAL was truncated.
    @discardableResult
    func checkpointBeforeClose() throws -> Bool {
        try writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA busy_timeout = 100")
            do {
                try db.checkpoint(.truncate)
                return true
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                return false
            }
        }
    }

    /// Closes the readers, then the writer. Only a read-write connection that closes last removes
    /// the WAL and the shared memory; GRDB's `close()` alone closes the writer first, its read-only
    /// readers last, and the files stayed behind, the WAL empty, which made the next open write
    /// (see `WALPlaceholder`).
    func closeWriterLast() throws {
        releaseMemory()
        try close()
    }
}
