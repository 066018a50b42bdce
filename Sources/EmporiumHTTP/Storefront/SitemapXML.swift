import EmporiumCore
import EmporiumSupport
import Foundation

/// The sitemaps protocol's XML (sitemaps.org 0.9): an index naming one file of the shop's pages
/// (home, categories) and one file per `CatalogService.sitemapFileSize` products, each with the
/// product's last change as `lastmod`.
enum SitemapXML {
    static func index(baseURL: String, productFiles: Int) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        xml += "<sitemap><loc>\(escape(baseURL))/sitemaps/pages.xml</loc></sitemap>\n"
        for number in 1...max(1, productFiles) {
            xml += "<sitemap><loc>\(escape(baseURL))/sitemaps/products-\(number).xml</loc></sitemap>\n"
        }
        return xml + "</sitemapindex>\n"
    }

    static func urls(_ entries: [(url: String, lastModified: Date?)]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for entry in entries {
            xml += "<url><loc>\(escape(entry.url))</loc>"
            if let date = entry.lastModified { xml += "<lastmod>\(UTCTime(date).iso8601)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    /// XML text escaping by Unicode scalars (the same five as HTML).
    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
