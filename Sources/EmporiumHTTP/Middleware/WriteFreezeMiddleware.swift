import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird

/// Refuses a frozen shop's writes with 503 and `Retry-After` while it moves to another node (reads
/// go on), and counts the writes it lets through so a freeze can wait for them to finish. Runs after
/// `TenantMiddleware`: only the shop being moved is affected.
struct WriteFreezeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let freeze: ShopWriteFreeze

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let tenant = context.tenant?.id, ![.get, .head, .options].contains(request.method) else {
            return try await next(request, context)
        }
        switch freeze.admitWrite(tenant) {
        case .frozen(let until):
            throw APIError.shopMoving(until: until)
        case .admitted:
            defer { freeze.finishWrite(tenant) }
            return try await next(request, context)
        }
    }
}

extension APIError {
    /// A frozen shop's write: come back when the move is done (at the latest when the freeze ends).
    static func shopMoving(until: Date) -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(min(30, max(1, Int(until.timeIntervalSinceNow.rounded(.up)))))
        return APIError(status: .serviceUnavailable, code: "SHOP_MOVING",
                        message: "This shop is moving to another server: reading works, changes are refused for a moment; try again shortly",
                        headers: headers)
    }
}
