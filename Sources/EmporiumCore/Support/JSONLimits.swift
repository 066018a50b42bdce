/// Bounds on the shape of JSON a client may send, checked on the raw bytes before any decoder runs:
/// a 1 KB body nested 500 deep cost a second of CPU to decode, and a value nested deeper than the
/// encoder allows was stored and then broke every page that showed it.
public enum JSONLimits {
    /// Deepest nesting of arrays and objects in a request body (the body itself is level 1).
    public static let maximumDepth = 32
    /// Most array elements plus object members in one request body.
    public static let maximumValues = 10_000

    /// Throws a 400 naming the limit when `bytes` nests deeper than `maximumDepth` or holds more than
    /// `maximumValues` values. Does not validate the rest of the syntax: the decoder does that next.
    public static func check<Bytes: Sequence>(_ bytes: Bytes) throws where Bytes.Element == UInt8 {
        var depth = 0
        var values = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= maximumDepth else {
                    throw DomainError.badRequest("The request body nests arrays and objects more than \(maximumDepth) levels deep")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            case UInt8(ascii: ","):
                values += 1
                guard values < maximumValues else {
                    throw DomainError.badRequest("The request body holds more than \(maximumValues) values")
                }
            default:
                break
            }
        }
    }
}
