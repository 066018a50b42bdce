import EmporiumCore
import EmporiumSupport
import Foundation
import Testing

/// `JSONString` is the one JSON string writer: stored JSON (`JSONValue.jsonText`) and log lines
/// quote through it, so both escape alike — U+2028 and U+2029 included, which JSON allows raw
/// but which end a line in JavaScript and in some log viewers.
@Suite("JSON strings: one escaper for stored JSON and log lines")
struct JSONStringTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote \" and \\ backslash", #""quote \" and \\ backslash""#),
        ("line\nfeed\ttab\rreturn", #""line\nfeed\ttab\rreturn""#),
        ("bell\u{07} and nul\u{00}", #""bell\u0007 and nul\u0000""#),
        ("split\u{2028}line\u{2029}paragraph", #""split\u2028line\u2029paragraph""#),
        ("é ü 日本 🛒", "\"é ü 日本 🛒\""),
    ])
    func escapesWhatJSONAndLineBasedReadersNeed(_ value: String, expected: String) throws {
        #expect(JSONString.quoted(value) == expected)
        #expect(try JSONValue.object(["k": .string(value)]).jsonText() == "{\"k\":\(expected)}")
        // What it writes reads back as the same string.
        let decoded = try JSONSerialization.jsonObject(with: Data(expected.utf8), options: .fragmentsAllowed) as? String
        #expect(decoded == value)
    }
}
