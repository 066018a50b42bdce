import Dispatch
import GRDB
import GRDBSQLite

/// SQLite's progress handler set to a deadline: every `opcodes` virtual-machine steps the running
/// statement asks the clock, and past the deadline it stops with `SQLITE_INTERRUPT`. Installed
/// for one read on its connection and removed after it, so no other use of the connection meets it.
enum ProgressDeadline {
    /// About 10–50 µs of work between two looks at the clock.
    static let opcodes: Int32 = 1_000

    static func run<T>(_ db: Database, until deadline: UInt64?, _ body: () throws -> T) throws -> T {
        guard let deadline else { return try body() }
        guard DispatchTime.now().uptimeNanoseconds < deadline else { throw DatabaseError(resultCode: .SQLITE_INTERRUPT) }
        let stored = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        stored.initialize(to: deadline)
        sqlite3_progress_handler(db.sqliteConnection, opcodes, { context in
            guard let context else { return 0 }
            return DispatchTime.now().uptimeNanoseconds > context.load(as: UInt64.self) ? 1 : 0
        }, stored)
        defer {
            sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
            stored.deallocate()
        }
        return try body()
    }
}
