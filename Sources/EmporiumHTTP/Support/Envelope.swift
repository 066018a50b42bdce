import EmporiumCore
import Foundation
import Hummingbird

/// The success shape of every JSON answer: `{"success": true, "data": …}` (DESIGN.md §6).
public struct Envelope<Payload: Encodable & Sendable>: ResponseEncodable, Sendable {
    public let success = true
    public let data: Payload

    public init(_ data: Payload) {
        self.data = data
    }
}

/// The error shape of every failed answer:
/// `{"success": false, "error": {"code", "message", "details"}, "correlationId"}`.
public struct ErrorEnvelope: Codable, Sendable {
    public struct Body: Codable, Sendable {
        public let code: String
        public let message: String
        public let details: [FieldIssue]
        /// `PRICE_CHANGED` only: what the order costs now.
        let totals: TotalsDTO?

        init(code: String, message: String, details: [FieldIssue], totals: TotalsDTO? = nil) {
            self.code = code
            self.message = message
            self.details = details
            self.totals = totals
        }
    }

    public var success = false
    public let error: Body
    public let correlationId: String
}

/// A list answer with its pagination, e.g. `{"tenants": [...], "pagination": {...}}`.
struct PagedList<Item: Encodable & Sendable>: Encodable, Sendable {
    let key: String
    let items: [Item]
    let pagination: Pagination

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(items, forKey: DynamicKey(key))
        try container.encode(pagination, forKey: DynamicKey("pagination"))
    }
}

struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { self.stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
