/// The one JSON string writer (RFC 8259): the core's `JSONValue` text and the log lines both
/// quote through it. Beyond what JSON requires it escapes U+2028 and U+2029, which end a line in
/// JavaScript and in some log viewers, so a value can never split a log line or a script.
public enum JSONString {
    /// Appends `string` quoted and escaped to `text`.
    public static func append(_ string: String, to text: inout String) {
        text += "\""
        // Most values need no escaping at all: append them whole (0xE2 leads U+2028 and U+2029).
        guard string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }) else {
            text += string
            text += "\""
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// `string` quoted and escaped.
    public static func quoted(_ string: String) -> String {
        var text = ""
        append(string, to: &text)
        return text
    }
}
