import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Errors only the HTTP layer can raise (wrong method, wrong content type, …), next to the mapping
/// of every error to a status and a wire code. This is the one place status codes are decided.
public struct APIError: Error, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var details: [FieldIssue] = []
    public var headers: HTTPFields = [:]
    /// What an order costs now, on `PRICE_CHANGED`.
    var totals: TotalsDTO?

    public init(status: HTTPResponse.Status, code: String, message: String, details: [FieldIssue] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    static func unsupportedMediaType(_ found: String?) -> APIError {
        APIError(status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE",
                 message: "Content-Type must be application/json" + (found.map { ", not \($0)" } ?? ""))
    }

    static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than \(limit) bytes")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(status: .methodNotAllowed, code: "METHOD_NOT_ALLOWED",
                        message: "\(method.rawValue) is not allowed here", headers: headers)
    }

    static let routeNotFound = APIError(status: .notFound, code: "NOT_FOUND", message: "No such route")

    /// Maps any error to its wire form. Unknown errors become a bare 500 `INTERNAL`: their text may
    /// hold SQL or paths, so it goes to the log only.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DomainError:
            return from(error)
        case is NIOTooManyBytesError:
            return APIError(status: .contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "The request body is too large")
        case let error as HTTPError:
            switch error.status {
            case .notFound: return routeNotFound
            case .contentTooLarge: return APIError(status: .contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "The request body is too large")
            case .unsupportedMediaType: return unsupportedMediaType(nil)
            case .badRequest: return APIError(status: .badRequest, code: "VALIDATION_FAILED", message: error.body ?? "Bad request")
            default:
                if error.status.code < 500 {
                    return APIError(status: error.status, code: "BAD_REQUEST", message: error.body ?? error.status.reasonPhrase)
                }
                return internalError
            }
        default:
            return internalError
        }
    }

    static let internalError = APIError(status: .internalServerError, code: "INTERNAL", message: "An internal error occurred")

    static func from(_ error: DomainError) -> APIError {
        switch error {
        case .validation(let issues):
            return APIError(status: .unprocessableContent, code: "VALIDATION_FAILED", message: "The request has invalid fields", details: issues)
        case .badRequest(let message, let details):
            return APIError(status: .badRequest, code: "VALIDATION_FAILED", message: message, details: details)
        case .notFound(let message):
            return APIError(status: .notFound, code: "NOT_FOUND", message: message)
        case .gone(let message):
            return APIError(status: .gone, code: "GONE", message: message)
        case .tenantNotFound:
            return APIError(status: .notFound, code: "TENANT_NOT_FOUND", message: "No shop matches this request")
        case .tenantSuspended:
            return APIError(status: .forbidden, code: "TENANT_SUSPENDED", message: "This shop is suspended")
        case .conflict(let message):
            return APIError(status: .conflict, code: "CONFLICT", message: message)
        case .unauthorized(let message):
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer"
            return APIError(status: .unauthorized, code: "UNAUTHORIZED", message: message, headers: headers)
        case .forbidden(let message):
            return APIError(status: .forbidden, code: "FORBIDDEN", message: message)
        case .accountLocked(let until):
            var headers = HTTPFields()
            headers[.retryAfter] = String(max(1, Int(until.timeIntervalSinceNow.rounded(.up))))
            return APIError(status: .init(code: 423, reasonPhrase: "Locked"), code: "ACCOUNT_LOCKED", message: "Too many failed sign-ins; try again later", headers: headers)
        case .twoFactorRequired:
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer"
            return APIError(status: .unauthorized, code: "TWO_FACTOR_REQUIRED", message: "Enter the code from your authenticator app or a recovery code",
                            details: [FieldIssue(field: "code", message: "is required")], headers: headers)
        case .twoFactorEnrolmentRequired:
            return APIError(status: .forbidden, code: "TWO_FACTOR_ENROLMENT_REQUIRED",
                            message: "This shop requires two-factor sign-in for staff: set it up at /auth/2fa/setup first")
        case .insufficientStock(let items):
            return APIError(status: .conflict, code: "INSUFFICIENT_STOCK", message: "Not enough stock for \(items.count) item(s)", details: items)
        case .invalidTransition(let current, let action):
            return APIError(status: .conflict, code: "INVALID_TRANSITION", message: "Cannot \(action) an order that is \(current)",
                            details: [FieldIssue(field: "status", message: current)])
        case .unavailable(let message):
            return APIError(status: .serviceUnavailable, code: "SERVICE_UNAVAILABLE", message: message)
        case .busy(let message, let retryAfter):
            var headers = HTTPFields()
            headers[.retryAfter] = String(max(1, retryAfter))
            return APIError(status: .serviceUnavailable, code: "SERVICE_BUSY", message: message, headers: headers)
        case .priceChanged(let totals, let currency):
            var answer = APIError(status: .conflict, code: "PRICE_CHANGED", message: error.description,
                                  details: [FieldIssue(field: "expectedTotal", message: "does not match the order's total")])
            answer.totals = TotalsDTO(totals, Amounts(currency: currency))
            return answer
        }
    }

    /// The JSON response for this error.
    func response(correlationID: String) -> Response {
        let body = ErrorEnvelope(error: .init(code: code, message: message, details: details, totals: totals), correlationId: correlationID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data(#"{"success":false}"#.utf8)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
