import Dispatch
import EmporiumCore
import GRDB
import GRDBSQLite

/// SQLite's progress handler set to what a request's `QueryBudget` has left: every `opcodes`
/// virtual-machine steps the running statement asks the clock, and past the deadline it stops with
/// `SQLITE_INTERRUPT`. Installed for one read on its connection, removed after it, and the read's
/// time is counted against the budget, so no other use of the connection meets it.
enum ProgressDeadline {
    /// About 10–50 µs of work between two looks at the clock.
    static let opcodes: Int32 = 1_000

    static func run<T>(_ db: Database, within budget: QueryBudget?, _ body: () throws -> T) throws -> T {
        guard let budget else { return try body() }
        let remaining = budget.remainingNanoseconds
        guard remaining > 0 else { throw DatabaseError(resultCode: .SQLITE_INTERRUPT, message: "query budget already spent") }
        let started = DispatchTime.now().uptimeNanoseconds
        let deadline = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        deadline.initialize(to: started &+ remaining)
        sqlite3_progress_handler(db.sqliteConnection, opcodes, { context in
            guard let context else { return 0 }
            return DispatchTime.now().uptimeNanoseconds > context.load(as: UInt64.self) ? 1 : 0
        }, deadline)
        defer {
            sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
            deadline.deallocate()
            budget.spend(DispatchTime.now().uptimeNanoseconds &- started)
        }
        return try body()
    }
}
