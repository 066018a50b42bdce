import EmporiumSupport
import Foundation
import Logging

/// A swift-log handler writing one JSON object per line (DESIGN.md §8): `timestamp, level, message,
/// service, version, environment`, then the metadata (request lines carry `correlationId, tenantId,
/// method, url, statusCode, duration, userAgent, ip`). Integer and decimal metadata stay numbers.
///
/// Metadata whose key names a secret (password, token, authorization, secret, cookie, key) is
/// written as `[REDACTED]` whatever the caller passed: a last line of defence, not the first.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let output: LogOutput
    private let fixedFields: String

    public init(label: String, output: LogOutput, level: Logger.Level, environment: String) {
        self.label = label
        self.output = output
        self.logLevel = level
        var fixed = ""
        JSONText.appendField("service", "emporium", to: &fixed)
        JSONText.appendField("version", BuildInfo.version, to: &fixed)
        JSONText.appendField("environment", environment, to: &fixed)
        self.fixedFields = fixed
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "{"
        JSONText.appendField("timestamp", UTCTime.now().iso8601, to: &line, first: true)
        JSONText.appendField("level", event.level.rawValue, to: &line)
        JSONText.appendField("message", event.message.description, to: &line)
        line += fixedFields
        var merged = metadata
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        if let error = event.error, merged["error"] == nil {
            merged["error"] = .string(String(describing: error))
        }
        if merged["logger"] == nil, label != "emporium" {
            merged["logger"] = .string(label)
        }
        for key in merged.keys.sorted() {
            JSONText.appendKey(key, to: &line)
            if Self.isSecret(key) {
                JSONText.appendString("[REDACTED]", to: &line)
            } else {
                JSONText.append(merged[key]!, to: &line)
            }
        }
        line += "}\n"
        output.write(Array(line.utf8), level: event.level)
    }

    static let secretWords = ["password", "token", "authorization", "secret", "cookie", "apikey", "api_key", "encryptionkey"]
    private static let secretWordBytes = secretWords.map { Array($0.utf8) }

    /// A plain byte loop on purpose: Foundation's `String.contains` goes through `NSString`, and the
    /// standard library's generic `firstRange(of:)` was slower still; either was most of the cost
    /// of writing a request line.
    static func isSecret(_ key: String) -> Bool {
        var lowered = Array(key.utf8)
        for index in lowered.indices where lowered[index] >= UInt8(ascii: "A") && lowered[index] <= UInt8(ascii: "Z") {
            lowered[index] += 32
        }
        return secretWordBytes.contains { word in
            guard lowered.count >= word.count else { return false }
            for start in 0...(lowered.count - word.count) {
                var matches = true
                for offset in 0..<word.count where lowered[start + offset] != word[offset] {
                    matches = false
                    break
                }
                if matches { return true }
            }
            return false
        }
    }
}

/// The few pieces of JSON text the log handler writes, escaped per RFC 8259.
enum JSONText {
    static func appendField(_ key: String, _ value: String, to text: inout String, first: Bool = false) {
        appendKey(key, to: &text, first: first)
        appendString(value, to: &text)
    }

    static func appendKey(_ key: String, to text: inout String, first: Bool = false) {
        if !first { text += "," }
        appendString(key, to: &text)
        text += ":"
    }

    static func append(_ value: Logger.Metadata.Value, to text: inout String) {
        switch value {
        case .string(let string):
            appendString(string, to: &text)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: text += String(number)
            case let number as Int64: text += String(number)
            case let number as Double where number.isFinite: text += String(number)
            case let flag as Bool: text += flag ? "true" : "false"
            default: appendString(convertible.description, to: &text)
            }
        case .array(let values):
            text += "["
            for (index, element) in values.enumerated() {
                if index > 0 { text += "," }
                append(element, to: &text)
            }
            text += "]"
        case .dictionary(let dictionary):
            text += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                appendKey(key, to: &text, first: index == 0)
                append(JSONLogHandler.isSecret(key) ? .string("[REDACTED]") : dictionary[key]!, to: &text)
            }
            text += "}"
        }
    }

    static func appendString(_ string: String, to text: inout String) {
        JSONString.append(string, to: &text)
    }
}
