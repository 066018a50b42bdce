import EmporiumCore
import Foundation
import Ink

/// The shop's own pages (about, shipping and returns, terms…) from the Markdown staff write, with
/// John Sundell's Ink, made safe for a page every shopper opens: raw HTML is shown as text, links
/// go only to web, mail and phone addresses or within the shop, pictures only from the shop or
/// over HTTPS.
///
/// Ink is written for trusted input. It passes raw HTML through, writes link and picture
/// addresses into attributes as they are, and escapes text by `Character`, so a `<` that forms
/// one grapheme cluster with a mark before it is not escaped. Hence three layers: such `<`, `>`
/// and `&` are escaped before Ink reads the text; modifiers rewrite what Ink writes for raw HTML,
/// links, pictures and code blocks; and the result is read tag by tag against an allowlist —
/// anything else found, the whole text is shown escaped instead.
enum SafeMarkdown {
    static func html(_ markdown: String) -> String {
        let parser = MarkdownParser(modifiers: [
            Modifier(target: .html) { HTMLText.escape(String($0.markdown)) },
            Modifier(target: .links) { link(html: $0.html, markdown: $0.markdown) },
            Modifier(target: .images) { image(markdown: $0.markdown) },
            Modifier(target: .codeBlocks) { codeBlock(html: $0.html, markdown: $0.markdown) },
            Modifier(target: .headings) { demoted($0.html) },
        ])
        let html = parser.html(from: escapingClusteredMarkup(markdown))
        return isAllowed(html) ? html : plainText(markdown)
    }

    /// The text as escaped paragraphs: what is shown when the rendering held anything not allowed.
    static func plainText(_ markdown: String) -> String {
        markdown.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .map { "<p>" + HTMLText.escape($0) + "</p>" }.joined()
    }

    /// `<`, `>` and `&` that share a grapheme cluster with another scalar (a mark before or after
    /// them), which Ink's escaping by `Character` would let through, as entities.
    static func escapingClusteredMarkup(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            guard character.unicodeScalars.count > 1, character.unicodeScalars.contains(where: { "<>&".unicodeScalars.contains($0) }) else {
                result.append(character)
                continue
            }
            result += HTMLText.escape(String(character))
        }
        return result
    }

    // MARK: Modifiers

    /// `[text](address)`: a link when the address is one a shopper may follow, else the text alone.
    /// Ink writes `<a href="ADDRESS">TEXT</a>` with the address as given; the address is taken
    /// from the Markdown (after the first `](`) and the text from what Ink made of it.
    static func link(html: String, markdown: Substring) -> String {
        guard let opening = markdown.range(of: "]("), markdown.hasSuffix(")") else { return linkText(html) ?? HTMLText.escape(String(markdown)) }
        let address = String(markdown[opening.upperBound..<markdown.index(before: markdown.endIndex)])
        let prefix = "<a href=\"" + address + "\">"
        guard html.hasPrefix(prefix), html.hasSuffix("</a>") else { return HTMLText.escape(String(markdown)) }
        let text = String(html.dropFirst(prefix.count).dropLast(4))
        guard let safe = safeAddress(address, forPicture: false) else { return text }
        let external = safe.hasPrefix("http")
        return "<a href=\"\(HTMLText.escape(safe))\"\(external ? " rel=\"nofollow noopener\"" : "")>\(text)</a>"
    }

    /// A reference link's text (`[text][name]`), whose address Ink looked up itself.
    static func linkText(_ html: String) -> String? {
        guard html.hasPrefix("<a href=\""), html.hasSuffix("</a>"), let end = html.range(of: "\">") else { return nil }
        return String(html[end.upperBound...].dropLast(4))
    }

    /// `![alt](address)`: a picture from the shop or over HTTPS, else its alt text.
    static func image(markdown: Substring) -> String {
        guard markdown.hasPrefix("!["), let middle = markdown.range(of: "]("), markdown.hasSuffix(")") else {
            return HTMLText.escape(String(markdown))
        }
        let alt = String(markdown[markdown.index(markdown.startIndex, offsetBy: 2)..<middle.lowerBound])
        let address = String(markdown[middle.upperBound..<markdown.index(before: markdown.endIndex)])
        guard let safe = safeAddress(address, forPicture: true) else { return HTMLText.escape(alt) }
        return "<img src=\"\(HTMLText.escape(safe))\" alt=\"\(HTMLText.escape(alt))\" loading=\"lazy\">"
    }

    /// A heading one level down (`#` becomes `<h2>`): the page's title is its only `<h1>`.
    static func demoted(_ html: String) -> String {
        guard html.count >= 9, html.hasPrefix("<h"), let level = html.dropFirst(2).first?.wholeNumberValue, (1...6).contains(level),
              html.hasSuffix("</h\(level)>") else { return html }
        let lower = min(level + 1, 6)
        return "<h\(lower)" + html.dropFirst(3).dropLast(3) + "h\(lower)>"
    }

    /// A fenced code block, without the language Ink would write into a `class` as given.
    static func codeBlock(html: String, markdown: Substring) -> String {
        let firstLine = markdown.prefix { $0 != "\n" }
        let language = firstLine.drop { $0 == "`" || $0 == "~" }.drop { $0.isWhitespace }.trimmingTrailingWhitespace
        let prefix = "<pre><code" + (language.isEmpty ? "" : " class=\"language-\(language)\"") + ">"
        guard html.hasPrefix(prefix), html.hasSuffix("</code></pre>") else { return "<pre><code>" + HTMLText.escape(String(markdown)) + "</code></pre>" }
        return "<pre><code>" + html.dropFirst(prefix.count)
    }

    /// An address a shopper may be sent to: web (HTTPS for pictures), mail, phone, or a path of
    /// the shop itself; nil for anything else (`javascript:`, `data:`, another scheme, quotes,
    /// spaces or control characters).
    static func safeAddress(_ raw: String, forPicture: Bool) -> String? {
        let address = raw.trimmingCharacters(in: .whitespaces)
        guard !address.isEmpty, address.unicodeScalars.count <= 2_000,
              !address.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control || "\"'<>\\`".unicodeScalars.contains($0) })
        else { return nil }
        if address.hasPrefix("/") { return address.hasPrefix("//") ? nil : address }
        if !forPicture, address.hasPrefix("#") { return address }
        let lower = address.lowercased()
        let schemes = forPicture ? ["https://"] : ["https://", "http://", "mailto:", "tel:"]
        return schemes.contains { lower.hasPrefix($0) } ? address : nil
    }

    // MARK: The allowlist

    static let allowedElements: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "ul", "ol", "li", "em", "strong", "del", "s", "code", "pre", "blockquote",
        "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "sup",
    ]
    static let allowedAttributes: Set<String> = ["href", "src", "alt", "align", "rel", "loading", "start"]

    /// Whether every tag in `html` is an allowed element with allowed attributes (and addresses).
    static func isAllowed(_ html: String) -> Bool {
        // One tag: a name, then attributes with double-quoted values holding no quote or angle bracket.
        let tag = /^<(\/?)([a-z0-9]+)((?:\s+[a-z-]+="[^"<>]*")*)\s*\/?>$/
        let attribute = /([a-z-]+)="([^"<>]*)"/
        let scalars = html.unicodeScalars
        var index = scalars.startIndex
        while let open = scalars[index...].firstIndex(of: "<") {
            guard let close = scalars[open...].firstIndex(of: ">") else { return false }
            let text = String(scalars[open...close])
            guard let match = try? tag.wholeMatch(in: text), allowedElements.contains(String(match.output.2)) else { return false }
            for pair in String(match.output.3).matches(of: attribute) {
                let name = String(pair.output.1), value = String(pair.output.2)
                guard allowedAttributes.contains(name) else { return false }
                if name == "href" || name == "src", safeAddress(decoded(value), forPicture: name == "src") == nil { return false }
            }
            index = scalars.index(after: close)
        }
        return true
    }

    /// An attribute value with the entities this file writes turned back, for checking.
    static func decoded(_ value: String) -> String {
        value.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}

private extension Substring {
    var trimmingTrailingWhitespace: Substring {
        var copy = self
        while copy.last?.isWhitespace == true { copy = copy.dropLast() }
        return copy
    }
}
