import Foundation

/// A page the shop writes for itself — about, shipping and returns, privacy, terms, contact —
/// in Markdown, linked from every storefront page's footer and served at `/pages/{slug}`.
public struct ShopPage: Sendable, Equatable {
    /// A shop's footer holds a handful of pages; this bounds the footer and the table.
    public static let maximumPages = 20
    public static let titleLimit = 120
    public static let bodyLimit = 50_000

    public var slug: String
    public var title: String
    /// Markdown; raw HTML in it is shown as text (`SafeMarkdown`).
    public var body: String
    /// Footer order, lowest first (then by slug).
    public var position: Int
    public var updatedAt: Date

    public init(slug: String, title: String, body: String, position: Int, updatedAt: Date) {
        self.slug = slug
        self.title = title
        self.body = body
        self.position = position
        self.updatedAt = updatedAt
    }

    /// The rules of `PUT /pages/{slug}`, every failing field reported at once.
    public static func validated(slug rawSlug: String, title: String, body: String, position: Int?, at timestamp: Date) throws -> ShopPage {
        var issues: [FieldIssue] = []
        let slug = collect(&issues) { try validSlug(rawSlug) }
        let title = collect(&issues) { () throws -> String in
            let value = title.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...titleLimit).contains(value.unicodeScalars.count),
                  !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw DomainError.invalid("title", "must be one line of 1 to \(titleLimit) characters")
            }
            return value
        }
        if body.unicodeScalars.count > bodyLimit { issues.append(FieldIssue(field: "body", message: "must be at most \(bodyLimit) characters")) }
        if body.unicodeScalars.contains("\u{0}") { issues.append(FieldIssue(field: "body", message: "must not contain NUL characters")) }
        let position = position ?? 0
        if !(0...1_000).contains(position) { issues.append(FieldIssue(field: "position", message: "must be a whole number from 0 to 1000")) }
        guard issues.isEmpty, let slug, let title else { throw DomainError.validation(issues) }
        return ShopPage(slug: slug, title: title, body: body, position: position, updatedAt: timestamp)
    }

    /// A page's address: lower-case letters, digits and single hyphens, 1 to 60 of them, as given
    /// (an address is not guessed from a title here: it is the link the owner shares).
    public static func validSlug(_ raw: String) throws -> String {
        let allowed = raw.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard (1...60).contains(raw.unicodeScalars.count), allowed, !raw.hasPrefix("-"), !raw.hasSuffix("-"), !raw.contains("--") else {
            throw DomainError.invalid("slug", "must be 1 to 60 lower-case letters, digits and single hyphens, like shipping-and-returns")
        }
        return raw
    }
}

/// A shop's pages, inside one transaction.
public protocol ShopPageRepository {
    /// Every page, in footer order.
    func pages() throws -> [ShopPage]
    func page(slug: String) throws -> ShopPage?
    /// Writes the page, new or replacing the one with its slug.
    func save(_ page: ShopPage) throws
    /// Returns false when there was no such page.
    func delete(slug: String) throws -> Bool
}
