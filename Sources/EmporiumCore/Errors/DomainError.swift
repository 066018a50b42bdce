import Foundation

/// One field that failed validation, reported back to the caller so a form can point at it.
public struct FieldIssue: Sendable, Equatable, Codable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The errors the domain raises. They carry no HTTP knowledge: `EmporiumHTTP` maps each case to a
/// status and a wire code in one place, so handlers never decide status codes themselves.
public enum DomainError: Error, Sendable, Equatable {
    /// The request is understood but its values break a rule (HTTP 422).
    case validation([FieldIssue])
    /// The request itself is malformed: unreadable JSON, a bad query parameter (HTTP 400).
    case badRequest(String, details: [FieldIssue] = [])
    case notFound(String)
    /// What the address named existed and was deleted (HTTP 410 `GONE`): a storefront page of a
    /// deleted product, which a search engine then drops at once.
    case gone(String)
    case tenantNotFound
    case tenantSuspended
    case conflict(String)
    case unauthorized(String)
    case forbidden(String)
    case accountLocked(until: Date)
    /// The password was right and the account has a second factor: ask for its code (HTTP 401 `TWO_FACTOR_REQUIRED`).
    case twoFactorRequired
    /// The shop requires a second factor of staff and this account has none yet: only enrolment
    /// and the account's own routes are open (HTTP 403 `TWO_FACTOR_ENROLMENT_REQUIRED`).
    case twoFactorEnrolmentRequired
    /// Not enough available stock for these products (HTTP 409 `INSUFFICIENT_STOCK`); one issue per short item.
    case insufficientStock([FieldIssue])
    /// The order cannot move from `current` with `action` (HTTP 409 `INVALID_TRANSITION`).
    case invalidTransition(current: String, action: String)
    /// Something the operator must fix (missing tenant file, full disk); the caller may retry later.
    case unavailable(String)
    /// A shared resource is at its bound for this caller (a shop's picture queue, a request's query
    /// budget): nothing was done, and the same request may succeed after `retryAfter` seconds (HTTP 503).
    case busy(String, retryAfter: Int)
    /// The order would cost something other than the total the buyer was quoted (`expectedTotal`):
    /// nothing was reserved, and `totals` are what it costs now (HTTP 409 `PRICE_CHANGED`).
    case priceChanged(CheckoutTotals, currency: String)

    /// Convenience for a single failing field.
    public static func invalid(_ field: String, _ message: String) -> DomainError {
        .validation([FieldIssue(field: field, message: message)])
    }
}

extension DomainError: CustomStringConvertible {
    /// A one-line, client-safe description (used by the command line's error output).
    public var description: String {
        switch self {
        case .validation(let issues):
            return issues.map { $0.field.isEmpty ? $0.message : "\($0.field) \($0.message)" }.joined(separator: "; ")
        case .badRequest(let message, let details):
            return ([message] + details.map { "\($0.field) \($0.message)" }).joined(separator: "; ")
        case .notFound(let message), .gone(let message), .conflict(let message), .unauthorized(let message), .forbidden(let message),
             .unavailable(let message), .busy(let message, _):
            return message
        case .priceChanged(let totals, let currency):
            return "The price changed: the order now costs \(Money.amount(totals.totalMinor, exponent: Currency.exponent(currency))) \(currency)"
        case .insufficientStock(let items):
            return "Insufficient stock: " + items.map(\.message).joined(separator: "; ")
        case .invalidTransition(let current, let action):
            return "Cannot \(action) an order that is \(current)"
        case .tenantNotFound:
            return "No such tenant"
        case .tenantSuspended:
            return "The tenant is suspended"
        case .accountLocked(let until):
            return "The account is locked until \(until.formatted(.iso8601))"
        case .twoFactorRequired:
            return "A two-factor code is required"
        case .twoFactorEnrolmentRequired:
            return "This shop requires two-factor sign-in: enrol first"
        }
    }
}

extension DomainError {
    /// The same error with every message passed through `transform`, e.g. to take the machine's
    /// folder names out of what a remote caller sees.
    public func mapMessages(_ transform: (String) -> String) -> DomainError {
        func issues(_ list: [FieldIssue]) -> [FieldIssue] { list.map { FieldIssue(field: $0.field, message: transform($0.message)) } }
        switch self {
        case .validation(let list): return .validation(issues(list))
        case .badRequest(let message, let details): return .badRequest(transform(message), details: issues(details))
        case .notFound(let message): return .notFound(transform(message))
        case .gone(let message): return .gone(transform(message))
        case .conflict(let message): return .conflict(transform(message))
        case .unauthorized(let message): return .unauthorized(transform(message))
        case .forbidden(let message): return .forbidden(transform(message))
        case .unavailable(let message): return .unavailable(transform(message))
        case .busy(let message, let retryAfter): return .busy(transform(message), retryAfter: retryAfter)
        case .insufficientStock(let list): return .insufficientStock(issues(list))
        case .tenantNotFound, .tenantSuspended, .accountLocked, .invalidTransition, .twoFactorRequired, .twoFactorEnrolmentRequired,
             .priceChanged: return self
        }
    }

    /// The same error with `folders` (and anything below them) reduced to the part after them.
    public func withoutPaths(under folders: [String]) -> DomainError {
        mapMessages { message in
            folders.filter { !$0.isEmpty }.sorted { $0.count > $1.count }.reduce(message) { text, folder in
                text.replacingOccurrences(of: folder.hasSuffix("/") ? folder : folder + "/", with: "")
            }
        }
    }

    /// Runs `body`; a domain error it throws leaves with `folders` taken out of its messages (the
    /// platform API answers remote operators, and the box's layout is the host's business).
    public static func hidingPaths<T>(under folders: [String], _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DomainError {
            throw error.withoutPaths(under: folders)
        }
    }
}
