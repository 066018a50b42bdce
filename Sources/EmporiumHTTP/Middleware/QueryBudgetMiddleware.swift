import EmporiumCore
import Hummingbird

/// Gives each request its database time budget (`QUERY_BUDGET_MS`, `QueryBudget`). Inside the
/// error middleware, so a request over its budget answers 503 `SERVICE_BUSY` with `Retry-After`.
struct QueryBudgetMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let milliseconds: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await QueryBudget.within(milliseconds: milliseconds) {
            try await next(request, context)
        }
    }
}
