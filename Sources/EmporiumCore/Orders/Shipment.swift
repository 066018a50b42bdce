import Foundation

/// What staff may say when they ship an order (`POST /orders/{id}/ship`): the carrier and the
/// parcel's tracking number and page. It goes into the shipping notice and the audit entry.
public struct Shipment: Sendable, Equatable {
    public var carrier: String?
    public var trackingNumber: String?
    public var trackingURL: String?

    public init(carrier: String? = nil, trackingNumber: String? = nil, trackingURL: String? = nil) throws {
        func line(_ value: String?, _ field: String, maximum: Int) throws -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            guard value.unicodeScalars.count <= maximum, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw DomainError.invalid(field, "must be one line of at most \(maximum) characters")
            }
            return value
        }
        self.carrier = try line(carrier, "carrier", maximum: 100)
        self.trackingNumber = try line(trackingNumber, "trackingNumber", maximum: 100)
        self.trackingURL = try line(trackingURL, "trackingUrl", maximum: 500)
        if let url = self.trackingURL {
            guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "https", parsed.host != nil else {
                throw DomainError.invalid("trackingUrl", "must be an https address")
            }
        }
    }

    var facts: [String: JSONValue] {
        var facts: [String: JSONValue] = [:]
        if let carrier { facts["carrier"] = .string(carrier) }
        if let trackingNumber { facts["trackingNumber"] = .string(trackingNumber) }
        if let trackingURL { facts["trackingURL"] = .string(trackingURL) }
        return facts
    }
}
