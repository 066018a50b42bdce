/// Text made safe to place in HTML or XML content and quoted attribute values: the one escaper
/// every page and document uses.
///
/// It works on Unicode scalars, never on Swift `Character`s. A `Character` is a grapheme cluster,
/// and a prepended concatenation mark (U+0600–U+0605), a combining mark or a zero-width joiner
/// forms one cluster with the `<` next to it, so a switch over characters never sees a bare `<`
/// and lets a live tag through. A browser's tokenizer reads code points, so this does too.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": result.append(contentsOf: "&quot;".unicodeScalars)
            case "'": result.append(contentsOf: "&#39;".unicodeScalars)
            // NUL is not allowed in HTML text; the replacement character is what a parser would make of it.
            case "\u{0}": result.append("\u{FFFD}")
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
