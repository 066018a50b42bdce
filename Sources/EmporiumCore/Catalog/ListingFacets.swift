/// What a listing's filters show beside its page: how many products match, the categories they are
/// in and their price range. The same for every page and every sort order of one selection, and
/// the costly part of a listing over a large catalog (every match is read), so it is computed once
/// per selection and cached apart from the pages (`CatalogService.list`).
public struct ListingFacets: Sendable, Equatable {
    public var total: Int
    public var categoryNames: [String]
    public var priceRange: (min: Int, max: Int)?

    public init(total: Int, categoryNames: [String], priceRange: (min: Int, max: Int)?) {
        self.total = total
        self.categoryNames = categoryNames
        self.priceRange = priceRange
    }

    public static func == (lhs: ListingFacets, rhs: ListingFacets) -> Bool {
        lhs.total == rhs.total && lhs.categoryNames == rhs.categoryNames
            && lhs.priceRange?.min == rhs.priceRange?.min && lhs.priceRange?.max == rhs.priceRange?.max
    }
}
