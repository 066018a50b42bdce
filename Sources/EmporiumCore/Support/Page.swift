import Foundation

/// A page request as the API takes it: 1-based page number and a bounded page size.
public struct Page: Sendable, Equatable {
    public static let maximumLimit = 100
    /// The deepest row a page may start at. Past it a client gets 400 instead of an `OFFSET` that
    /// SQLite would walk row by row (and instead of `(page - 1) * limit` overflowing).
    public static let maximumOffset = 1_000_000

    public let page: Int
    public let limit: Int

    public init(page: Int = 1, limit: Int = 20) {
        self.page = page
        self.limit = limit
    }

    /// Validates raw query values: page ≥ 1, 1 ≤ limit ≤ 100, and the page's first row no deeper than
    /// `maximumOffset`. Beyond is a client error naming the allowed range, not a clamp, so a caller
    /// never silently receives less than it asked for.
    public static func parse(page: String?, limit: String?, defaultLimit: Int = 20) throws -> Page {
        var issues: [FieldIssue] = []
        var pageNumber = 1
        var size = defaultLimit
        if let page {
            if let value = Int(page), value >= 1 { pageNumber = value } else {
                issues.append(.init(field: "page", message: "must be a whole number ≥ 1"))
            }
        }
        if let limit {
            if let value = Int(limit), (1...maximumLimit).contains(value) { size = value } else {
                issues.append(.init(field: "limit", message: "must be a whole number from 1 to \(maximumLimit)"))
            }
        }
        if issues.isEmpty, pageNumber > maximumPage(limit: size) {
            issues.append(.init(field: "page", message: "must be from 1 to \(maximumPage(limit: size)) with limit \(size) (at most \(maximumOffset) rows deep)"))
        }
        guard issues.isEmpty else { throw DomainError.badRequest("Invalid paging parameters", details: issues) }
        return Page(page: pageNumber, limit: size)
    }

    /// The last page number `parse` accepts for a page size.
    public static func maximumPage(limit: Int) -> Int { maximumOffset / max(1, limit) + 1 }

    /// Rows skipped before this page. Saturates instead of trapping for pages built in code.
    public var offset: Int { (max(page, 1) - 1).multipliedSaturated(by: max(limit, 0)) }
}

/// The `pagination` object of every list answer.
public struct Pagination: Sendable, Equatable, Codable {
    public let page: Int
    public let limit: Int
    public let total: Int
    public let totalPages: Int
    public let hasNext: Bool
    public let hasPrev: Bool

    public init(_ page: Page, total: Int) {
        self.page = page.page
        self.limit = page.limit
        self.total = total
        self.totalPages = total <= 0 ? 0 : (total - 1) / max(page.limit, 1) + 1
        self.hasNext = page.page < totalPages
        self.hasPrev = page.page > 1
    }
}
