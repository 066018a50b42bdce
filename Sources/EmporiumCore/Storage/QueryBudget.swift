import Dispatch

/// The moment a request's reads in its shop's database must have finished (`QUERY_BUDGET_MS`),
/// carried with the request's task. Storage interrupts a read still running then, and the request
/// answers `DomainError.busy`: one shop's expensive query cannot hold a core for as long as it
/// likes while every shop on the box waits for it. Unset (background jobs, the command line): no budget.
public enum QueryBudget {
    /// `DispatchTime.now().uptimeNanoseconds` past which a read is interrupted.
    @TaskLocal public static var deadline: UInt64?

    /// Runs `body` with a budget of `milliseconds` from now.
    public static func within<T>(milliseconds: Int, _ body: () async throws -> T) async rethrows -> T {
        let deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, milliseconds)) &* 1_000_000
        return try await $deadline.withValue(deadline, operation: body)
    }

    /// What a request over its budget is told.
    public static let exceeded = DomainError.busy("The request needed more database time than one request may take; try again, or narrow it",
                                                  retryAfter: 1)
}
