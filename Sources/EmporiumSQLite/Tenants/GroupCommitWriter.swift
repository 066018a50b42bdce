import Foundation
import GRDB
import Synchronization

/// Group commit for one shop's file. SQLite has one writer per file, and with `synchronous=FULL`
/// every commit waits for an fsync; a shop taking many orders at once would spend most of its time
/// committing one order at a time. Writes that arrive while a transaction runs wait, then run
/// together in the next one — each inside its own savepoint — so one commit and one fsync make
/// all of them durable.
///
/// What each caller sees does not change: its body runs alone (in arrival order, serialised with
/// every other write), a body that throws rolls back only its own savepoint and gets its own error,
/// and no caller is answered before the commit that made its write durable. If the commit itself
/// fails, or SQLite abandons the transaction mid-batch (disk full, I/O error), every caller of the
/// batch whose write was not already refused gets that error and nothing of the batch is kept.
final class GroupCommitWriter: Sendable {
    /// Bounds one transaction's length, so a burst cannot hold readers' snapshots back for long.
    static let maximumBatch = 64

    private let pool: DatabasePool
    /// Told after every commit, on the writer connection (`WALCheckpointer`).
    private let afterCommit: @Sendable (Database) -> Void
    private let queue = Mutex(Queue())

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
    }

    /// One caller's write: its body, where its answer goes, and its own error if it threw.
    private final class Job: @unchecked Sendable {
        let run: (Database) throws -> Void
        let continuation: CheckedContinuation<Void, any Error>
        /// Set on the writer's queue, read after the batch; never shared concurrently.
        var failure: (any Error)?

        init(run: @escaping (Database) throws -> Void, continuation: CheckedContinuation<Void, any Error>) {
            self.run = run
            self.continuation = continuation
        }
    }

    /// Carries a body's result from the writer's queue back to its caller.
    private final class Outcome<T>: @unchecked Sendable {
        var value: T?
    }

    init(pool: DatabasePool, afterCommit: @escaping @Sendable (Database) -> Void = { _ in }) {
        self.pool = pool
        self.afterCommit = afterCommit
    }

    /// Writes queued behind the running transaction.
    var waiting: Int { queue.withLock { $0.jobs.count } }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let job = Job(run: { db in outcome.value = try body(db) }, continuation: continuation)
            let startsDraining = queue.withLock { queue in
                queue.jobs.append(job)
                guard !queue.draining else { return false }
                queue.draining = true
                return true
            }
            if startsDraining {
                Task { await self.drain() }
            }
        }
        guard let value = outcome.value else { preconditionFailure("a write finished without its result") }
        return value
    }

    /// Runs batches until no write is waiting.
    private func drain() async {
        while true {
            let batch: [Job] = queue.withLock { queue in
                let taken = Array(queue.jobs.prefix(Self.maximumBatch))
                queue.jobs.removeFirst(taken.count)
                if taken.isEmpty { queue.draining = false }
                return taken
            }
            guard !batch.isEmpty else { return }
            if batch.count == 1 {
                await runAlone(batch[0])
            } else {
                await runTogether(batch)
            }
        }
    }

    private func runAlone(_ job: Job) async {
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try job.run(db)
                    return .commit
                }
                afterCommit(db)
            }
            job.continuation.resume()
        } catch {
            job.continuation.resume(throwing: error)
        }
    }

    private func runTogether(_ batch: [Job]) async {
        do {
            try await pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for job in batch {
                        do {
                            try db.inSavepoint {
                                try job.run(db)
                                return .commit
                            }
                        } catch {
                            job.failure = error
                            // SQLite rolls the whole transaction back on some errors (SQLITE_FULL,
                            // SQLITE_IOERR): the writes before this one are gone too.
                            guard db.isInsideTransaction else { throw error }
                        }
                    }
                    return .commit
                }
                afterCommit(db)
            }
            for job in batch {
                if let failure = job.failure {
                    job.continuation.resume(throwing: failure)
                } else {
                    job.continuation.resume()
                }
            }
        } catch {
            for job in batch {
                job.continuation.resume(throwing: job.failure ?? error)
            }
        }
    }
}
