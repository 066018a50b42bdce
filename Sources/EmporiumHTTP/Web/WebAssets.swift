import Crypto
import EmporiumCore
import Foundation
import NIOCore

/// The admin panel and storefront files, compiled into the binary (no build step, no files on disk).
/// Each stylesheet and script is served under a name carrying a hash of its content, so browsers
/// may cache it for a year and a new release can never be mixed with an old cached file. Imports
/// between modules are rewritten to the hashed names, leaves first, so a change in `dom.js` also
/// changes the name of every module that imports it.
struct WebAssets: Sendable {
    struct File: Sendable {
        let name: String
        let contentType: String
        let body: ByteBuffer
    }

    /// Assets by hashed name (`dom.3f2a91c0d4.js`).
    let files: [String: File]
    /// Pages by name (`admin`, `shop`), their asset references already hashed.
    let pages: [String: File]
    /// Each asset's address by its plain name: `app.css` → `/assets/app.3f2a91c0d4.css`.
    let addresses: [String: String]

    static let embedded = WebAssets(
        assets: [
            ("app.css", PackageResources.app_css), ("api.js", PackageResources.api_js), ("dom.js", PackageResources.dom_js),
            ("charts.js", PackageResources.charts_js), ("feedback.js", PackageResources.feedback_js),
            ("admin-checkout.js", PackageResources.admin_checkout_js), ("admin-variants.js", PackageResources.admin_variants_js),
            ("admin-images.js", PackageResources.admin_images_js), ("admin-security.js", PackageResources.admin_security_js),
            ("admin-mail.js", PackageResources.admin_mail_js),
            ("admin-pages.js", PackageResources.admin_pages_js),
            ("admin.js", PackageResources.admin_js), ("shop.js", PackageResources.shop_js), ("storefront.js", PackageResources.storefront_js),
        ],
        pages: [("admin", PackageResources.admin_html), ("shop", PackageResources.shop_html)]
    )

    /// `assets` must list every module after the modules it imports.
    init(assets: [(String, [UInt8])], pages: [(String, [UInt8])]) {
        var hashedNames: [String: String] = [:]
        var files: [String: File] = [:]
        for (name, bytes) in assets {
            var text = String(decoding: bytes, as: UTF8.self)
            for (original, hashed) in hashedNames where name.hasSuffix(".js") {
                text = text.replacingOccurrences(of: "'./\(original)'", with: "'./\(hashed)'")
            }
            let digest = Hex.string(SHA256.hash(data: Data(text.utf8)).prefix(5))
            let dot = name.lastIndex(of: ".")!
            let hashed = "\(name[..<dot]).\(digest)\(name[dot...])"
            hashedNames[name] = hashed
            files[hashed] = File(name: hashed, contentType: Self.contentType(name), body: ByteBuffer(string: text))
        }
        var rendered: [String: File] = [:]
        for (name, bytes) in pages {
            var text = String(decoding: bytes, as: UTF8.self)
            for (original, hashed) in hashedNames {
                text = text.replacingOccurrences(of: "{{asset:\(original)}}", with: "/assets/\(hashed)")
            }
            precondition(!text.contains("{{asset:"), "page \(name) names an asset that is not embedded")
            rendered[name] = File(name: name, contentType: "text/html; charset=utf-8", body: ByteBuffer(string: text))
        }
        self.files = files
        self.pages = rendered
        self.addresses = hashedNames.mapValues { "/assets/\($0)" }
    }

    static func contentType(_ name: String) -> String {
        if name.hasSuffix(".js") { return "text/javascript; charset=utf-8" }
        if name.hasSuffix(".css") { return "text/css; charset=utf-8" }
        return "application/octet-stream"
    }
}
