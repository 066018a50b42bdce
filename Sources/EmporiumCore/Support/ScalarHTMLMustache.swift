import Mustache

/// Mustache's HTML escaping works on Swift `Character`s, so a combining mark that joins a `<`
/// into one character passes through unescaped. Every HTML template here (mail bodies, storefront
/// pages) escapes by Unicode scalars instead (`HTMLText`), through this content type. Mustache
/// resets the content type in each partial, so each template starts with `pragma` on a line of its
/// own (a line break never joins a grapheme cluster, and Mustache drops the line whole).
public enum ScalarHTMLMustache {
    public static let contentTypeName = "EMPORIUM_HTML"
    public static let pragma = "{{% CONTENT_TYPE: \(contentTypeName)}}\n"

    private static let registered: Void = {
        MustacheContentTypes.register(ScalarHTMLContentType(), named: contentTypeName)
    }()

    /// Registers the content type once per process; call before rendering.
    public static func register() {
        _ = registered
    }
}

/// `HTMLText.escape` as a Mustache content type.
struct ScalarHTMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLText.escape(text) }
}
