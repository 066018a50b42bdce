import Foundation

/// What a search engine's result and a shared link show for a product or category when staff
/// want something other than its name and description (`seoTitle`, `seoDescription`): a parent
/// shop's name in the title, say, or a description written for the result page instead of for
/// the product page. Either part left empty falls back to the page's own.
public struct SearchAppearance: Sendable, Equatable {
    /// Search engines cut titles at about 60 characters and descriptions at about 160; these
    /// limits leave room and still refuse a pasted page.
    public static let titleLimit = 120
    public static let descriptionLimit = 320

    public var title: String?
    public var description: String?

    public init(title: String? = nil, description: String? = nil) {
        self.title = title
        self.description = description
    }

    /// Validated from what a client sent: empty (or only spaces) is "none".
    public static func validated(title: String?, description: String?) throws -> SearchAppearance {
        var issues: [FieldIssue] = []
        let title = collect(&issues) { try line(title, field: "seoTitle", limit: titleLimit) }
        let description = collect(&issues) { try line(description, field: "seoDescription", limit: descriptionLimit) }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return SearchAppearance(title: title ?? nil, description: description ?? nil)
    }

    /// A change (`PATCH`): a part absent (`nil`) stays, `null` or empty text clears it.
    public struct Change: Sendable {
        public var title: String??
        public var description: String??

        public init(title: String?? = nil, description: String?? = nil) {
            self.title = title
            self.description = description
        }

        public var isEmpty: Bool { title == nil && description == nil }

        /// `current` with this change applied, validated.
        public func applied(to current: SearchAppearance) throws -> SearchAppearance {
            try SearchAppearance.validated(title: title ?? current.title, description: description ?? current.description)
        }
    }

    /// One line of text: trimmed, no control characters (a title is one line in every result
    /// page), at most `limit` characters; nil when empty.
    static func line(_ raw: String?, field: String, limit: Int) throws -> String? {
        let value = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { return nil }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DomainError.invalid(field, "must be one line of text, without control characters")
        }
        guard value.unicodeScalars.count <= limit else { throw DomainError.invalid(field, "must be at most \(limit) characters") }
        return value
    }
}
