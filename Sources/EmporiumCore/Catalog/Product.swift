import Foundation

public enum ProductStatus: String, Sendable, Codable, CaseIterable {
    case active
    case inactive
    case draft
}

public struct Category: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var slug: String
    public var parentID: UUID?
    /// Its title and description in search results and shared links, when staff set them.
    public var seo: SearchAppearance
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, name: String, slug: String, parentID: UUID?, seo: SearchAppearance = .init(), createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.slug = slug
        self.parentID = parentID
        self.seo = seo
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A product with its inventory and counters. Money is in minor units. What is bought is one of
/// its `variants`; `priceMinor` is the lowest variant price ("from"), `stock`, `reserved` and
/// `sales` are the variants' totals and `weightGrams` the first variant's (kept by the schema).
public struct Product: Sendable, Equatable, Identifiable {
    public var id: UUID
    /// The product's own SKU; a single-variant product's variant has the same.
    public var sku: String
    public var name: String
    public var slug: String
    public var description: String
    /// Its title and description in search results and shared links, when staff set them.
    public var seo: SearchAppearance
    public var priceMinor: Int
    public var status: ProductStatus
    public var categoryID: UUID?
    /// Filled when read, for the `category{id,name}` object of the answer.
    public var categoryName: String?
    /// Pictures given as URLs (the original spec's field).
    public var images: [String]
    /// Pictures uploaded to the shop (`ProductImageService`), in display order.
    public var media: [ProductImage]
    public var attributes: [String: JSONValue]
    public var stock: Int
    public var reserved: Int
    public var lowStockThreshold: Int
    /// Shipping weight of one unit, in grams (weight-band shipping rates).
    public var weightGrams: Int
    public var views: Int
    public var sales: Int
    /// Not deleted, in display order; never empty once read from storage.
    public var variants: [ProductVariant]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, sku: String, name: String, slug: String, description: String, seo: SearchAppearance = .init(), priceMinor: Int, status: ProductStatus,
        categoryID: UUID?, categoryName: String? = nil, images: [String], media: [ProductImage] = [], attributes: [String: JSONValue], stock: Int, reserved: Int = 0,
        lowStockThreshold: Int, weightGrams: Int = 0, views: Int = 0, sales: Int = 0, variants: [ProductVariant] = [], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.sku = sku
        self.name = name
        self.slug = slug
        self.description = description
        self.seo = seo
        self.priceMinor = priceMinor
        self.status = status
        self.categoryID = categoryID
        self.categoryName = categoryName
        self.images = images
        self.media = media
        self.attributes = attributes
        self.stock = stock
        self.reserved = reserved
        self.lowStockThreshold = lowStockThreshold
        self.weightGrams = weightGrams
        self.views = views
        self.sales = sales
        self.variants = variants
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var available: Int { stock - reserved }

    /// sales / views × 100, one decimal; 0 when there are no views yet.
    public var conversionRate: Decimal {
        guard views > 0 else { return 0 }
        var rate = Decimal(sales) * 100 / Decimal(views)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &rate, 1, .plain)
        return rounded
    }

    /// The audit view of a product.
    public var auditValues: JSONValue {
        .object([
            "sku": .string(sku), "name": .string(name), "priceMinor": .number(Double(priceMinor)), "status": .string(status.rawValue),
            "categoryId": categoryID.map { .string($0.lowercased) } ?? .null, "stock": .number(Double(stock)),
        ])
    }
}
