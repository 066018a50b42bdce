import Dispatch
import Synchronization

/// The database time one request may spend in its shop's file (`QUERY_BUDGET_MS`), carried with
/// the request's task. Only time spent running reads counts: a request that first waited for a
/// core, for bcrypt or for a pool connection has lost none of it. Storage gives each read the time
/// the request has left and interrupts it there, and the request answers `DomainError.busy`: one
/// shop's expensive query cannot hold a core for as long as it likes while every shop on the box
/// waits. Unset (background jobs, the command line): no budget.
public final class QueryBudget: Sendable {
    /// The budget of the request running in this task, if any.
    @TaskLocal public static var current: QueryBudget?

    public let limitNanoseconds: UInt64
    private let spentNanoseconds = Mutex<UInt64>(0)

    public init(milliseconds: Int) {
        limitNanoseconds = UInt64(max(0, milliseconds)) * 1_000_000
    }

    /// Runs `body` as a request with a budget of `milliseconds` of database time.
    public static func within<T>(milliseconds: Int, _ body: () async throws -> T) async rethrows -> T {
        try await $current.withValue(QueryBudget(milliseconds: milliseconds), operation: body)
    }

    /// Database time left.
    public var remainingNanoseconds: UInt64 {
        let spent = spentNanoseconds.withLock { $0 }
        return limitNanoseconds > spent ? limitNanoseconds - spent : 0
    }

    /// Counts `nanoseconds` of database work against the budget.
    public func spend(_ nanoseconds: UInt64) {
        spentNanoseconds.withLock { $0 &+= nanoseconds }
    }

    /// What a request over its budget is told.
    public static let exceeded = DomainError.busy("The request needed more database time than one request may take; try again, or narrow it",
                                                  retryAfter: 1)
}
