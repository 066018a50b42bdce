import EmporiumCore
import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Moves a shop's WAL checkpoints off its writer. SQLite's default (`wal_autocheckpoint=1000`)
/// runs the checkpoint inside the commit that crosses 1,000 pages: with `synchronous=FULL` that
/// commit copies ~4 MB into the main file and fsyncs it while every order queued behind it waits
/// (the group-commit writer is busy 100 % of the time at checkout peaks). Here the writer's
/// autocheckpoint is off; after each commit `committed(_:)` reads how many pages the writer has
/// written (`SQLITE_DBSTATUS_CACHE_WRITE`), and past `pagesBetweenCheckpoints` a PASSIVE
/// checkpoint runs on a short-lived connection of its own, beside the writer, which keeps
/// committing. PASSIVE never waits for readers or the writer; what it cannot copy yet is copied
/// by the next one, so the WAL stays bounded as it did before.
final class WALCheckpointer: Sendable {
    static let pagesBetweenCheckpoints: Int64 = 1000

    private let path: String
    private let state = Mutex(State())

    private struct State {
        var pagesWritten: Int64 = 0
        var pagesAtLastCheckpoint: Int64 = 0
        var running = false
        var closed = false
    }

    init(path: String) {
        self.path = path
    }

    /// The writer's side: call on the writer connection after a commit.
    func committed(_ db: Database) {
        var current: Int32 = 0, highest: Int32 = 0
        guard sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_WRITE, &current, &highest, 0) == SQLITE_OK else { return }
        let (starts, written) = state.withLock { state -> (Bool, Int64) in
            let written = Int64(current) - state.pagesWritten
            state.pagesWritten = Int64(current)
            guard !state.running, !state.closed, state.pagesWritten - state.pagesAtLastCheckpoint >= Self.pagesBetweenCheckpoints else {
                return (false, written)
            }
            state.running = true
            state.pagesAtLastCheckpoint = state.pagesWritten
            return (true, written)
        }
        StorageWriteCounters.committed(pagesWritten: written)
        if starts {
            Thread.detachNewThread { [self] in checkpoint() }
        }
    }

    /// Stops new checkpoints and waits (up to 5 s) for a running one, before the shop's file is
    /// closed, swapped or removed.
    func close() {
        state.withLock { $0.closed = true }
        for _ in 0..<5_000 where state.withLock({ $0.running }) {
            usleep(1_000)
        }
    }

    private func checkpoint() {
        defer { state.withLock { $0.running = false } }
        var configuration = Configuration()
        configuration.busyMode = .timeout(1)
        // A failed checkpoint is retried by the next one; the WAL only grows meanwhile.
        guard let connection = try? DatabaseQueue(path: path, configuration: configuration) else { return }
        _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        try? connection.close()
    }
}
