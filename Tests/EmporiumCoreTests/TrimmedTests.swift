import EmporiumCore
import Testing

@Suite("Trimming without Foundation")
struct TrimmedTests {
    /// The same answers as `trimmingCharacters(in: .whitespacesAndNewlines)` for what callers send:
    /// tokens, address fields, codes, including non-ASCII text and all-blank input.
    @Test func cutsWhitespaceAndNewlinesFromBothEndsOnly() {
        #expect("  eyJ.a.b \t".trimmed == "eyJ.a.b")
        #expect("\n Straße 1 \r\n".trimmed == "Straße 1")
        #expect("a  b".trimmed == "a  b")
        #expect("\u{00A0}Zürich\u{3000}".trimmed == "Zürich")
        #expect(" \t\n ".trimmed == "")
        #expect("".trimmed == "")
        #expect("x".trimmed == "x")
        #expect("Bearer  tok ".dropFirst(7).trimmed == "tok")
    }
}
