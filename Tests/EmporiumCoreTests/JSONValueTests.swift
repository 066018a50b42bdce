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

    @Test(arguments: [
        #"{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"d"}}"#, #"  [ "\u00e9\ud83d\udca5\n\t\"\\\/" , 0 ] "#, #""plain""#, "-0.5",
        #"{"k":"\u2028 line separator","e":""}"#, "[[[[[]]]]]", #"{"dup":1,"dup":2}"#,
    ])
    func theTokenParserReadsWhatFoundationReads(_ text: String) throws {
        #expect(try JSONParser.parse(text) == JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)))
    }

    @Test(arguments: ["", "[1,]", "{\"a\"}", "[1 2]", "tru", "\"open", "{\"a\":1}x", "[\"\u{1}\"]", "\"\\ud800\"", "1e999", "[NaN]"])
    func theTokenParserRefusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func theTokenParserRefusesNestingPastItsBoundWithoutRecursingIntoIt() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
        let allowed = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect((try? JSONParser.parse(allowed)) != nil)
    }

    @Test func theBodyLimitsCountDepthAndValuesButNotBracketsInsideStrings() throws {
        try JSONLimits.check(Array(#"{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[","b":"\"{{{{"}"#.utf8))
        #expect(throws: DomainError.self) { try JSONLimits.check(Array((String(repeating: "[", count: 33) + String(repeating: "]", count: 33)).utf8)) }
        try JSONLimits.check(Array((String(repeating: "[", count: 32) + String(repeating: "]", count: 32)).utf8))
        #expect(throws: DomainError.self) { try JSONLimits.check(Array(("[" + String(repeating: "0,", count: 10_000) + "0]").utf8)) }
    }

    struct Body: Decodable, Equatable {
        let name: String
        let attributes: [String: JSONValue]
        let list: [JSONValue]
    }

    @Test func valuesReadFromTheParsedBodyByPathEqualWhatTheDecoderFindsByTrying() throws {
        let text = #"{"name":"x","attributes":{"1":[true,{"2":null}],"size":"L","n":-2.5e3},"list":[[],{},"s",0]}"#
        let plain = try JSONDecoder().decode(Body.self, from: Data(text.utf8))
        let decoder = JSONDecoder()
        decoder.userInfo[JSONValue.parsedBodyKey] = try JSONValue.parse(text)
        #expect(try decoder.decode(Body.self, from: Data(text.utf8)) == plain)
        #expect(plain.attributes["1"] == .array([.bool(true), .object(["2": .null])]))
        // The tree is really what is read (not a fallback to trying types): a different tree shows through
        let other = JSONDecoder()
        other.userInfo[JSONValue.parsedBodyKey] = try JSONValue.parse(text.replacingOccurrences(of: #""L""#, with: #""M""#))
        #expect(try other.decode(Body.self, from: Data(text.utf8)).attributes["size"] == .string("M"))
    }

    @Test func hexIsLowerCaseTwoDigitsPerByte() {
        #expect(Hex.string([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.string([UInt8]()) == "")
    }
}
