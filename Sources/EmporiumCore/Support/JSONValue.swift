import EmporiumSupport
import Foundation

/// Free-form JSON (tenant settings, audit values, product attributes) kept typed, so it is
/// validated on the way in and never re-parsed from strings in the domain.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Where `Request.decodeJSON` puts the whole body, already parsed by `JSONParser`: a value
    /// decoded inside that body is then looked up by its coding path instead of found by trying
    /// Bool, Double, String, array and object in turn (which cost 1.2 s for 3 KB nested 500 deep,
    /// and 190 ms for 45 KB of small objects, in a debug build).
    public static let parsedBodyKey = CodingUserInfoKey(rawValue: "emporium.parsedJSONBody")!

    public init(from decoder: any Decoder) throws {
        if let body = decoder.userInfo[Self.parsedBodyKey] as? JSONValue, let value = body.value(at: decoder.codingPath) {
            self = value
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value at a decoder's coding path: object members by key, array elements by index.
    func value(at path: [any CodingKey]) -> JSONValue? {
        var current = self
        for key in path {
            switch current {
            case .object(let members):
                guard let next = members[key.stringValue] else { return nil }
                current = next
            case .array(let elements):
                guard let index = key.intValue, elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Compact JSON text, keys sorted so equal values always serialise the same way. Written by
    /// hand: every order writes an audit entry, and Foundation's encoder was a quarter of the
    /// checkout transaction's time.
    public func jsonText() throws -> String {
        var text = ""
        try append(to: &text)
        return text
    }

    private func append(to text: inout String) throws {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .number(let value):
            guard value.isFinite else { throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "not a finite number")) }
            if value == value.rounded(), value.magnitude < 1e15 {
                text += String(Int64(value))
            } else {
                text += value.description
            }
        case .string(let value): JSONString.append(value, to: &text)
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                try value.append(to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                JSONString.append(key, to: &text)
                text += ":"
                try members[key]!.append(to: &text)
            }
            text += "}"
        }
    }

    /// Parses JSON text written by `jsonText()` or by SQLite's JSON functions, each value's type
    /// taken from its first byte (`JSONParser`). The empty array and object — what most products
    /// store for images and attributes — skip even that.
    public static func parse(_ text: String) throws -> JSONValue {
        switch text {
        case "[]": return .array([])
        case "{}": return .object([:])
        default: return try JSONParser.parse(text)
        }
    }
}

/// Literal payloads (mail samples, tests) read as JSON: `"text"` and `true` without the case name.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
