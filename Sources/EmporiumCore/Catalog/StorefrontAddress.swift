import Foundation

/// What a retired slug named: the storefront keeps its old addresses (`retired_slugs`).
public enum SlugKind: String, Sendable, Codable {
    case product
    case category
}

/// What a storefront address answers: the thing itself, a permanent move to its current slug
/// (301), or nothing any more (410). An address that never named anything is a `notFound` error.
public enum StorefrontLookup<Value: Sendable>: Sendable {
    case found(Value)
    case moved(slug: String)
    case gone
}

/// One product in the sitemap: its address and when it last changed.
public struct SitemapEntry: Sendable, Equatable {
    public var slug: String
    public var updatedAt: Date

    public init(slug: String, updatedAt: Date) {
        self.slug = slug
        self.updatedAt = updatedAt
    }
}
