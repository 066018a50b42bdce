import Foundation

/// A word of the shop's search vocabulary (FTS5's, after its tokenizer: lower case, accents
/// removed) and how many products hold it.
public struct SearchTerm: Sendable, Equatable {
    public let term: String
    public let documents: Int

    public init(term: String, documents: Int) {
        self.term = term
        self.documents = documents
    }
}

/// Forgives a slip of one letter in a search ("hoodei", "tepot"): a search that found nothing
/// has each of its words that no product's text starts with replaced by the closest word of the
/// shop's search vocabulary, when one is close enough. Exact searches never come here: only a
/// search with no result pays for the vocabulary lookup.
///
/// Close enough: at most one edit (a letter added, dropped, changed, or two neighbours swapped)
/// for words of up to seven letters, two from eight on; words under four letters are too short to
/// guess. Candidates share the word's first letter (where typing slips least), which lets the
/// vocabulary be read as a range instead of in full; among equally close ones the word more
/// products hold wins.
public enum SearchCorrection {
    public static let minimumWordLength = 4
    /// The most vocabulary words one misspelt word is compared with.
    public static let candidateLimit = 5_000

    public static func allowedEdits(_ length: Int) -> Int {
        length >= 8 ? 2 : 1
    }

    /// The words of a match expression `SearchText.matchExpression` built (`"w1"* "w2"*`).
    public static func words(ofMatch match: String) -> [String] {
        match.split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"*")) }.filter { !$0.isEmpty }
    }

    /// A word as the FTS5 tokenizer `unicode61 remove_diacritics 2` stores it.
    public static func folded(_ word: String) -> String {
        word.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }

    /// The corrected search text, or nil when no word needed a correction or one had none.
    /// `isKnown(prefix)`: whether some vocabulary word starts with `prefix`;
    /// `candidates(firstLetter, lengths)`: vocabulary words starting with that letter whose length
    /// is in the range, at most `candidateLimit`.
    public static func correct(
        _ words: [String], isKnown: (String) throws -> Bool, candidates: (String, ClosedRange<Int>) throws -> [SearchTerm]
    ) rethrows -> String? {
        var corrected: [String] = []
        var changed = false
        for word in words {
            let folded = folded(word)
            let letters = Array(folded)
            if try isKnown(folded) {
                corrected.append(folded)
                continue
            }
            guard letters.count >= minimumWordLength, let first = letters.first else { return nil }
            let edits = allowedEdits(letters.count)
            let lengths = max(1, letters.count - edits)...(letters.count + edits)
            // Every word is required: a word with no close one leaves nothing the search could find.
            guard let best = closest(to: letters, among: try candidates(String(first), lengths), edits: edits) else { return nil }
            corrected.append(best)
            changed = true
        }
        return changed ? corrected.joined(separator: " ") : nil
    }

    /// The candidate within `edits` of `word`: fewest edits, then most products, then first in order.
    static func closest(to word: [Character], among candidates: [SearchTerm], edits: Int) -> String? {
        var best: (term: String, edits: Int, documents: Int)?
        for candidate in candidates.prefix(candidateLimit) {
            let distance = editDistance(word, Array(candidate.term), limit: edits)
            guard distance <= edits else { continue }
            if let current = best, (current.edits, -current.documents, current.term) <= (distance, -candidate.documents, candidate.term) { continue }
            best = (candidate.term, distance, candidate.documents)
        }
        return best?.term
    }

    /// Optimal string alignment distance (Levenshtein plus swapped neighbours), or `limit + 1` as
    /// soon as it must exceed `limit`.
    public static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return min(previous[b.count], limit + 1)
    }
}
