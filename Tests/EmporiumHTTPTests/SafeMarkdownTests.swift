import EmporiumCore
@testable import EmporiumHTTP
import Testing

/// The shop's own pages are Markdown drawn with Ink, made safe: raw HTML is text, links and
/// pictures only to addresses a shopper may follow, and nothing outside the allowlist survives.
@Suite("Shop pages: Markdown drawn safe")
struct SafeMarkdownTests {
    @Test func markdownBecomesTheUsualElements() {
        let html = SafeMarkdown.html("""
            # About us

            We are **two people** and a *kiln*.

            - Mugs
            - Teapots

            Write to [us](mailto:hello@example.com), read [our terms](/pages/terms) or [the blog](https://example.com/blog).

            ```swift
            let x = 1 < 2
            ```
            """)
        #expect(html.contains("<h2>About us</h2>"), "headings one level down: the page's title is its h1")
        #expect(html.contains("<strong>two people</strong>") && html.contains("<em>kiln</em>"))
        #expect(html.contains("<ul><li>Mugs</li><li>Teapots</li></ul>"))
        #expect(html.contains(#"<a href="mailto:hello@example.com">us</a>"#))
        #expect(html.contains(#"<a href="/pages/terms">our terms</a>"#))
        #expect(html.contains(#"<a href="https://example.com/blog" rel="nofollow noopener">the blog</a>"#))
        #expect(html.contains("<pre><code>let x = 1 &lt; 2"), "code is escaped and its language is not written into an attribute")
    }

    @Test(arguments: [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)> there",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<div onclick=\"alert(1)\">x</div>",
        "text\n\n<style>body{display:none}</style>",
        "<!-- a comment --> and <b>bold</b>",
    ])
    func rawHTMLIsShownAsText(_ markdown: String) {
        let html = SafeMarkdown.html(markdown)
        #expect(SafeMarkdown.isAllowed(html), "\(html)")
        for live in ["<script", "<img", "<iframe", "<a href=\"javascript", "<div", "<style", "<b>", "<!--"] {
            #expect(!html.contains(live), "\(live) in \(html)")
        }
        #expect(html.contains("&lt;"), "the markup is there as text")
    }

    @Test(arguments: [
        "[x](javascript:alert(1))", "[x](JavaScript:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](vbscript:msgbox)",
        "[x](\" onmouseover=\"alert(1))", "[x](//evil.example/path)", "[x](https://a.example/\"><script>)",
    ])
    func unsafeLinksKeepOnlyTheirText(_ markdown: String) {
        let html = SafeMarkdown.html(markdown)
        #expect(!html.contains("href"), "\(html)")
        #expect(!html.contains("onmouseover=\"") && !html.contains("<script"), "\(html)")
        #expect(SafeMarkdown.isAllowed(html))
    }

    @Test func picturesOnlyFromTheShopOrOverHTTPS() {
        #expect(SafeMarkdown.html("![Our kiln](/api/v1/media/abc.webp)").contains(#"<img src="/api/v1/media/abc.webp" alt="Our kiln" loading="lazy">"#))
        #expect(SafeMarkdown.html("![Kiln](https://cdn.example/k.jpg)").contains(#"src="https://cdn.example/k.jpg""#))
        let plain = SafeMarkdown.html("![a \"quoted\" alt](http://cdn.example/k.jpg)")
        #expect(!plain.contains("<img") && plain.contains("a &quot;quoted&quot; alt"), "\(plain)")
        let hostile = SafeMarkdown.html("![x\" onerror=\"alert(1)](/a.png)")
        #expect(!hostile.contains("onerror=\"alert") || hostile.contains("alt=\"x&quot; onerror=&quot;alert(1)\""), "\(hostile)")
        #expect(SafeMarkdown.isAllowed(hostile))
    }

    @Test func aCodeBlockLanguageCannotBreakOutOfItsAttribute() {
        let html = SafeMarkdown.html("```x\" onmouseover=\"alert(1)\nbody\n```")
        #expect(!html.contains("onmouseover=\""), "\(html)")
        #expect(html.hasPrefix("<pre><code>"))
    }

    /// A mark before `<` makes one grapheme cluster with it, which Ink's escaping by Character
    /// does not see; the browser reads code points and would find a live tag.
    @Test(arguments: ["\u{0600}<script>alert(1)</script>", "a\u{0301}<img src=x onerror=alert(1)>", "\u{200D}<svg onload=alert(1)>",
                      "x\u{20DD}<b>y</b>"])
    func aMarkBeforeTheBracketDoesNotMakeATag(_ markdown: String) {
        let html = SafeMarkdown.html(markdown)
        let scalars = Array(html.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "<" {
            let next = index + 1 < scalars.count ? String(String.UnicodeScalarView(scalars[(index + 1)...].prefix(4))) : ""
            // Compared by scalars: a joiner after ">" would make `hasPrefix` (by Character) miss it.
            #expect(["p>", "/p>"].contains { next.unicodeScalars.starts(with: $0.unicodeScalars) }, "a live tag in \(html.debugDescription)")
        }
    }

    @Test func theAllowlistRefusesWhatItDoesNotKnow() {
        #expect(SafeMarkdown.isAllowed("<p>fine <a href=\"/x\">link</a></p>"))
        #expect(!SafeMarkdown.isAllowed("<p onclick=\"x\">no</p>"))
        #expect(!SafeMarkdown.isAllowed("<a href=\"javascript:alert(1)\">no</a>"))
        #expect(!SafeMarkdown.isAllowed("<p>unclosed <"))
        #expect(!SafeMarkdown.isAllowed("<object data=\"x\"></object>"))
        #expect(SafeMarkdown.plainText("<b>one</b>\n\ntwo") == "<p>&lt;b&gt;one&lt;/b&gt;</p><p>two</p>")
    }

    /// The demo's footer pages use headings, lists, bold and mail/phone links: all drawn, none of
    /// them falling back to plain text.
    @Test(arguments: DemoShopFace.pages.map(\.slug))
    func theDemoPagesAreDrawnAsMarkdown(_ slug: String) throws {
        let body = try #require(DemoShopFace.pages.first { $0.slug == slug }).body
        let html = SafeMarkdown.html(body)
        #expect(html != SafeMarkdown.plainText(body))
        #expect((html.contains("<p>") || html.contains("<ol>")) && !html.contains("<h1>"))
    }
}
