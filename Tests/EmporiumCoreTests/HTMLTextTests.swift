import EmporiumCore
import Testing

@Suite("HTML escaping by Unicode scalars")
struct HTMLTextTests {
    /// Each look-alike mark forms one grapheme with the markup character after it; escaping by
    /// `Character` never saw a bare `<` there (the packing slip printed a live `<meta>` tag).
    @Test(arguments: ["\u{0600}", "\u{0601}", "\u{0605}", "\u{0301}", "\u{200D}", "\u{202E}", "e\u{0301}"])
    func aMarkBeforeMarkupCharactersCannotHideThem(_ mark: String) {
        let escaped = HTMLText.escape("\(mark)<meta http-equiv=refresh content=0>\(mark)&\(mark)\"\(mark)'")
        #expect(!escaped.unicodeScalars.contains("<"))
        #expect(!escaped.unicodeScalars.contains(">"))
        #expect(!escaped.unicodeScalars.contains("\""))
        #expect(!escaped.unicodeScalars.contains("'"))
        #expect(escaped == "\(mark)&lt;meta http-equiv=refresh content=0&gt;\(mark)&amp;\(mark)&quot;\(mark)&#39;")
    }

    @Test func plainTextAndNonASCIIPassUnchanged() {
        #expect(HTMLText.escape("Straße 1, Zürich — 東京") == "Straße 1, Zürich — 東京")
        #expect(HTMLText.escape("") == "")
        #expect(HTMLText.escape("a\u{0}b") == "a\u{FFFD}b")
    }
}
