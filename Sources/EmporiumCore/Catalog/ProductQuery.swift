import Foundation

public enum ProductSort: String, Sendable, CaseIterable {
    case price
    case priceDescending = "-price"
    case name
    case createdAt
    case createdAtDescending = "-createdAt"
    case popularity
}

/// The filters of `GET /products`, already validated.
public struct ProductQuery: Sendable, Equatable {
    /// How deep a searched listing pages: its first 1,000 results, as the big shops' searches do.
    /// Each page of a search sorted by price or name orders every hit again (a one-letter prefix
    /// hits most of a shop), so a deeper page was a second of a core for nothing a shopper reads.
    public static let maximumSearchDepth = 1_000

    public var page: Page
    /// FTS5 match expression built by `SearchText.matchExpression`, never raw user input.
    public var match: String?
    public var category: String?
    public var status: ProductStatus?
    public var minPriceMinor: Int?
    public var maxPriceMinor: Int?
    public var sort: ProductSort?
    /// false for customers and anonymous callers: only active products.
    public var includeHidden: Bool

    public init(page: Page = Page(), match: String? = nil, category: String? = nil, status: ProductStatus? = nil,
                minPriceMinor: Int? = nil, maxPriceMinor: Int? = nil, sort: ProductSort? = nil, includeHidden: Bool = false) {
        self.page = page
        self.match = match
        self.category = category
        self.status = status
        self.minPriceMinor = minPriceMinor
        self.maxPriceMinor = maxPriceMinor
        self.sort = sort
        self.includeHidden = includeHidden
    }
}

/// One page of products plus what a shop front needs to draw its filters.
public struct ProductListing: Sendable, Equatable {
    public var products: [Product]
    public var total: Int
    public var categoryNames: [String]
    public var priceRange: (min: Int, max: Int)?
    /// For a search that found nothing: the same search with its misspelt words corrected
    /// (`SearchCorrection`), when the shop's vocabulary has close enough words.
    public var suggestion: String?

    public init(products: [Product], facets: ListingFacets, suggestion: String? = nil) {
        self.products = products
        self.total = facets.total
        self.categoryNames = facets.categoryNames
        self.priceRange = facets.priceRange
        self.suggestion = suggestion
    }

    public static func == (lhs: ProductListing, rhs: ProductListing) -> Bool {
        lhs.products == rhs.products && lhs.total == rhs.total && lhs.categoryNames == rhs.categoryNames && lhs.suggestion == rhs.suggestion
            && lhs.priceRange?.min == rhs.priceRange?.min && lhs.priceRange?.max == rhs.priceRange?.max
    }
}

/// Turns whatever a shopper types into a safe FTS5 query: words (letters and digits) only, each
/// quoted and prefix-matched, all required. Quotes, `*`, `NEAR`, `AND`, parentheses and column
/// filters in the input become plain words or vanish — a search never fails with a syntax error.
public enum SearchText {
    public static func matchExpression(_ raw: String) -> String? {
        let terms = words(raw).map { "\"\($0)\"*" }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }

    /// The words of a search (letters and digits), at most 10 from its first 200 characters.
    public static func words(_ raw: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in raw.prefix(200) {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return Array(words.prefix(10))
    }
}
