import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `products`, as the catalog writes it. `seq` is the row's number (the FTS
/// table's rowid); price, stock, reserved, sales and weight are its variants' totals, kept by the
/// schema's triggers; `media` is the gallery's summary, kept by `refreshMedia`.
///
/// Listings read products with a hand-written row decoder instead (`SQLiteCatalogRepository.product`),
/// measured faster on the storefront's hottest path (docs/performance.md, "Records").
struct ProductRecord: StoredRecord {
    static let databaseTableName = "products"
    static let variants = hasMany(ProductVariantRecord.self, key: "variants")

    var seq: Int64?
    var id: UUID
    var sku: String
    var name: String
    var slug: String
    var description: String
    var seoTitle: String?
    var seoDescription: String?
    var priceMinor: Int
    var status: ProductStatus
    var categoryID: UUID?
    var images: [String]
    var attributes: JSONValue
    var stock: Int
    var reserved: Int
    var lowStockThreshold: Int
    var weightGrams: Int
    var views: Int
    var sales: Int
    var media: JSONValue
    var deletedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case seq, id, sku, name, slug, description, status, images, attributes, stock, reserved, views, sales, media
        case seoTitle = "seo_title", seoDescription = "seo_description"
        case priceMinor = "price_minor", categoryID = "category_id", lowStockThreshold = "low_stock_threshold", weightGrams = "weight_grams"
        case deletedAt = "deleted_at", createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let status = Column(CodingKeys.status)
        static let media = Column(CodingKeys.media)
        static let deletedAt = Column(CodingKeys.deletedAt)
        static let updatedAt = Column(CodingKeys.updatedAt)
        /// What an edit of the product itself writes (`updateProduct`).
        static let ownFields = [CodingKeys.sku, .name, .slug, .description, .seoTitle, .seoDescription, .status, .categoryID, .images, .attributes, .lowStockThreshold,
                                .updatedAt].map(\.stringValue)
    }

}

/// A row of a shop's `product_variants`.
struct ProductVariantRecord: StoredRecord {
    static let databaseTableName = "product_variants"

    var id: UUID
    var productID: UUID
    var sku: String
    var options: [VariantOption]
    /// The options as one comparable text, unique within the product (`ProductVariant.optionsKey`).
    var optionsKey: String
    var priceMinor: Int
    var stock: Int
    var reserved: Int
    var sales: Int
    var weightGrams: Int
    var attributes: JSONValue
    var position: Int
    var deletedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, sku, options, stock, reserved, sales, attributes, position
        case productID = "product_id", optionsKey = "options_key", priceMinor = "price_minor", weightGrams = "weight_grams"
        case deletedAt = "deleted_at", createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let productID = Column(CodingKeys.productID)
        static let deletedAt = Column(CodingKeys.deletedAt)
        static let updatedAt = Column(CodingKeys.updatedAt)
        /// What an edit of the variant writes (`updateVariant`): not what orders count.
        static let editable = [CodingKeys.sku, .options, .optionsKey, .priceMinor, .stock, .weightGrams, .attributes, .position, .updatedAt]
            .map(\.stringValue)
    }

    init(_ variant: ProductVariant) {
        (id, productID, sku, options, optionsKey) = (variant.id, variant.productID, variant.sku, variant.options, variant.optionsKey)
        (priceMinor, stock, reserved, sales, weightGrams) = (variant.priceMinor, variant.stock, variant.reserved, variant.sales, variant.weightGrams)
        (attributes, position, deletedAt, createdAt, updatedAt) = (.object(variant.attributes), variant.position, nil, variant.createdAt,
                                                                   variant.updatedAt)
    }
}

extension ProductImageRecord {
    static let product = belongsTo(ProductRecord.self)
}

extension ProductRecord {
    init(_ product: Product) {
        (seq, id, sku, name, slug, description) = (nil, product.id, product.sku, product.name, product.slug, product.description)
        (seoTitle, seoDescription) = (product.seo.title, product.seo.description)
        (priceMinor, status, categoryID, images, attributes) = (product.priceMinor, product.status, product.categoryID, product.images,
                                                                .object(product.attributes))
        (stock, reserved, lowStockThreshold, weightGrams) = (product.stock, product.reserved, product.lowStockThreshold, product.weightGrams)
        (views, sales, media, deletedAt) = (product.views, product.sales, .array(product.media.map(SQLiteProductImageRepository.json)), nil)
        (createdAt, updatedAt) = (product.createdAt, product.updatedAt)
    }
}
