import Foundation

/// A page request as the API takes it: 1-based page number and a bounded page size.
public struct Page: Sendable, Equatable {
    public static let maximumLimit = 100

    public let page: Int
    public let limit: Int

    public init(page: Int = 1, limit: Int = 20) {
        self.page = page
        self.limit = limit
    }

    /// Validates raw query values: page ≥ 1, 1 ≤ limit ≤ 100. Beyond is a client error, not a clamp,
    /// so a caller never silently receives less than it asked for.
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
        guard issues.isEmpty else { throw DomainError.badRequest("Invalid paging parameters", details: issues) }
        return Page(page: pageNumber, limit: size)
    }

    public var offset: Int { (page - 1) * limit }
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
        self.totalPages = total == 0 ? 0 : (total + page.limit - 1) / page.limit
        self.hasNext = page.page < totalPages
        self.hasPrev = page.page > 1
    }
}
