import EmporiumCore
import Mustache

/// The storefront's Mustache templates, compiled into the binary and parsed once. Every template
/// escapes values by Unicode scalars (`ScalarHTMLMustache`), partials included.
struct StorefrontTemplates: Sendable {
    let library: MustacheLibrary

    static let embedded = StorefrontTemplates(sources: [
        ("layout", PackageResources.layout_mustache), ("card", PackageResources.card_mustache), ("home", PackageResources.home_mustache),
        ("listing", PackageResources.listing_mustache), ("product", PackageResources.product_mustache), ("error", PackageResources.error_mustache),
        ("page", PackageResources.page_mustache),
    ])

    init(sources: [(String, [UInt8])]) {
        ScalarHTMLMustache.register()
        var library = MustacheLibrary()
        for (name, bytes) in sources {
            do {
                try library.register(ScalarHTMLMustache.pragma + String(decoding: bytes, as: UTF8.self), named: name)
            } catch {
                preconditionFailure("storefront template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// `name` over `model`; the templates are ours and all present, so a miss is a programming error.
    func render(_ name: String, _ model: [String: Any]) -> String {
        guard let text = library.render(model, withTemplate: name) else { preconditionFailure("no storefront template \(name)") }
        return text
    }
}
