import EmporiumCore
import Testing

/// A search that found nothing is corrected word by word against the shop's vocabulary: one edit
/// (added, dropped, changed or swapped letter) up to seven letters, two from eight, never for
/// words under four letters or words some product's text starts with.
@Suite("Search correction: the closest word of the shop's vocabulary")
struct SearchCorrectionTests {
    static let vocabulary = [
        SearchTerm(term: "hoodie", documents: 8), SearchTerm(term: "hood", documents: 1), SearchTerm(term: "teapot", documents: 8),
        SearchTerm(term: "teacup", documents: 3), SearchTerm(term: "tepee", documents: 1), SearchTerm(term: "lamp", documents: 8),
        SearchTerm(term: "lame", documents: 2), SearchTerm(term: "ceramics", documents: 5), SearchTerm(term: "blanket", documents: 8),
    ]

    /// Asks the in-memory vocabulary as the repository would, counting how often it was read.
    final class Vocabulary: @unchecked Sendable {
        var reads = 0
        func isKnown(_ prefix: String) -> Bool {
            reads += 1
            return SearchCorrectionTests.vocabulary.contains { $0.term.hasPrefix(prefix) }
        }
        func candidates(_ first: String, _ lengths: ClosedRange<Int>) -> [SearchTerm] {
            reads += 1
            return SearchCorrectionTests.vocabulary.filter { $0.term.hasPrefix(first) && lengths.contains($0.term.count) }
        }
        func correct(_ text: String) -> String? {
            SearchCorrection.correct(SearchText.words(text), isKnown: isKnown, candidates: candidates)
        }
    }

    @Test(arguments: [
        ("hoodei", "hoodie"), ("tepot", "teapot"), ("Tepot", "teapot"), ("teapto", "teapot"), ("hodie", "hoodie"),
        ("blue hoodei", nil), ("hoodei lamp", "hoodie lamp"), ("cerammics", "ceramics"), ("ceranicz", "ceramics"), ("TÉPOT", "teapot"),
    ] as [(String, String?)])
    func aSlipOfOneLetterFindsTheWord(_ typed: String, _ expected: String?) {
        // "blue" is in no product and near none: every word is required, so nothing is offered
        #expect(Vocabulary().correct(typed) == expected)
    }

    @Test func knownWordsAndPrefixesAreLeftAlone() {
        let vocabulary = Vocabulary()
        #expect(vocabulary.correct("hoodie") == nil)
        #expect(vocabulary.correct("teap") == nil, "a prefix of a word is what the search matches already")
        #expect(vocabulary.correct("lamp teapot") == nil)
    }

    @Test func shortAndFarWordsAreNotGuessed() {
        let vocabulary = Vocabulary()
        #expect(vocabulary.correct("lmp") == nil, "three letters are too few to guess from")
        #expect(vocabulary.correct("lmp hoodei") == nil, "a word that stays unknown leaves the search nothing to find")
        #expect(vocabulary.correct("tpeoat") == nil, "three edits away")
        #expect(vocabulary.correct("xoodie") == nil, "candidates share the first letter")
        #expect(vocabulary.correct("cerxmixs") == "ceramics", "eight letters allow two edits")
        #expect(vocabulary.correct("cxrxmixs") == nil)
    }

    @Test func equallyCloseWordsGoToTheOneMoreProductsHold() {
        // "lamq" is one edit from "lamp" (8 products) and from "lame" (2)
        #expect(Vocabulary().correct("lamq") == "lamp")
    }

    @Test func editDistanceCountsASwapAsOneEdit() {
        func distance(_ a: String, _ b: String, limit: Int = 3) -> Int { SearchCorrection.editDistance(Array(a), Array(b), limit: limit) }
        #expect(distance("hoodei", "hoodie") == 1)
        #expect(distance("tepot", "teapot") == 1)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("", "abc") == 3)
        #expect(distance("same", "same") == 0)
        #expect(distance("abcdefgh", "hgfedcba", limit: 2) == 3, "gives up past its limit")
        #expect(distance("a", "abcdef", limit: 2) == 3, "lengths too far apart to be within the limit")
    }

    @Test func theWordsOfAMatchExpressionAreTheSearchsWords() throws {
        let match = try #require(SearchText.matchExpression("Blue \"hoodei\" OR (lamp*)"))
        #expect(SearchCorrection.words(ofMatch: match) == ["Blue", "hoodei", "OR", "lamp"])
    }
}
