import EmporiumCore
import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Reads and decodes a JSON body with the API's error rules: a missing or non-JSON
    /// `Content-Type` is 415, a body over the limit is 413, unreadable JSON is 400, and a well-formed
    /// body with missing or mistyped fields is 422 with one detail per field.
    func decodeJSON<T: Decodable>(as type: T.Type, context: some RequestContext) async throws -> T {
        let contentType = headers[.contentType]
        guard let contentType, Self.isJSON(contentType) else {
            throw APIError.unsupportedMediaType(contentType)
        }
        let buffer = try await Self.collect(body, upTo: context.maxUploadSize)
        try JSONLimits.check(buffer.readableBytesView)
        let data = Data(buffer.readableBytesView)
        let decoder = JSONDecoder()
        // Free-form values inside the body (attributes, settings) are read from this tree by path;
        // if it does not parse, the decoder below reports the syntax error as before.
        if let tree = try? JSONValue.parse(String(decoding: data, as: UTF8.self)) {
            decoder.userInfo[JSONValue.parsedBodyKey] = tree
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            // Foundation reports a number that does not fit its field (2.5 for a count) as corrupt
            // data at the root; if the text is valid JSON, it is a field problem (422), not a syntax one.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, (try? JSONSerialization.jsonObject(with: data)) is [String: Any] {
                throw DomainError.validation([FieldIssue(field: "", message: "a value has the wrong type: counts and quantities must be whole numbers")])
            }
            throw Self.translate(error)
        }
    }

    /// Like `decodeJSON`, but an empty body (with or without a `Content-Type`) means "no options": nil.
    func decodeJSONIfPresent<T: Decodable>(as type: T.Type, context: some RequestContext) async throws -> T? {
        var copy = self
        let buffer = try await Self.collect(copy.body, upTo: context.maxUploadSize)
        copy.body = RequestBody(buffer: buffer)
        guard buffer.readableBytes > 0 else { return nil }
        return try await copy.decodeJSON(as: type, context: context)
    }

    /// The whole body, or 413 when it is over `limit`: whether `Content-Length` said so (Hummingbird's
    /// error) or a chunked body ran past it while streaming (NIO's `NIOTooManyBytesError`).
    static func collect(_ body: RequestBody, upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.payloadTooLarge(limit: limit)
        }
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = mediaType(of: contentType)
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    /// `Image/PNG; charset=x` → `image/png`: the media type without parameters, lower-cased.
    static func mediaType(of contentType: String) -> String {
        contentType.split(separator: ";").first?.trimmed.lowercased() ?? ""
    }

    static func translate(_ error: DecodingError) -> DomainError {
        func field(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            (path + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .badRequest("The request body is not valid JSON")
        case .dataCorrupted(let context):
            return .invalid(field(context.codingPath), context.debugDescription)
        case .keyNotFound(let key, let context):
            return .invalid(field(context.codingPath, key), "is required")
        case .typeMismatch(let expected, let context):
            if context.codingPath.isEmpty { return .badRequest("The request body must be a JSON object") }
            return .invalid(field(context.codingPath), "must be \(Self.describe(expected))")
        case .valueNotFound(let expected, let context):
            return .invalid(field(context.codingPath), "must be \(Self.describe(expected)), not null")
        @unknown default:
            return .badRequest("The request body could not be read")
        }
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Double.Type, is Decimal.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a valid value"
        }
    }
}
