@testable import EmporiumCore
import Foundation
import Testing

/// `jsonText()` is hand-written (audit entries on every order); it must stay valid, sorted JSON that
/// parses back to the same value, and match Foundation's encoder where both are defined.
@Suite("JSON values: text and parsing")
struct JSONValueTests {
    static let samples: [JSONValue] = [
        .null, .bool(true), .bool(false), .number(0), .number(-3), .number(12.5), .number(1e20), .number(0.1), .number(-1e-7),
        .string(""), .string("plain"), .string("quote \" backslash \\ slash / newline \n tab \t cr \r bell \u{7} é 💥 \u{2028}"),
        .array([]), .object([:]),
        .array([.number(1), .string("two"), .null, .array([.bool(true)])]),
        .object(["b": .number(2), "a": .object(["z": .null, "y": .array([.string("x")])]), "ä": .string("umlaut")]),
    ]

    @Test(arguments: samples)
    func textParsesBackToTheSameValue(_ value: JSONValue) throws {
        #expect(try JSONValue.parse(value.jsonText()) == value)
    }

    @Test func textMatchesFoundationsSortedEncoderForOrdinaryValues() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let ordinary: [JSONValue] = [
            .object(["status": .string("pending"), "total": .number(59.9), "lines": .number(2), "number": .number(1001)]),
            .array([.string("a/b"), .string("say \"hi\"\n"), .bool(false), .null, .number(-4)]),
        ]
        for value in ordinary {
            #expect(try value.jsonText() == String(decoding: try encoder.encode(value), as: UTF8.self))
        }
    }

    @Test func keysAreSortedAndNonFiniteNumbersRefused() throws {
        #expect(try JSONValue.object(["b": .null, "a": .null, "c": .null]).jsonText() == #"{"a":null,"b":null,"c":null}"#)
        #expect(try JSONValue.string("\u{1}").jsonText() == #""\u0001""#)
        #expect(throws: EncodingError.self) { try JSONValue.number(.infinity).jsonText() }
        #expect(throws: EncodingError.self) { try JSONValue.array([.number(.nan)]).jsonText() }
    }

    @Test func hexIsLowerCaseTwoDigitsPerByte() {
        #expect(Hex.string([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.string([UInt8]()) == "")
    }
}
