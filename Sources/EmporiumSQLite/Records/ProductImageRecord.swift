import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `product_images`; its resized copies are rows of `product_image_renditions`.
struct ProductImageRecord: StoredRecord {
    static let databaseTableName = "product_images"
    static let renditions = hasMany(ProductImageRenditionRecord.self, key: "renditions")

    var id: UUID
    var productID: UUID
    var position: Int
    var alt: String
    var format: ImageFormat
    var width: Int
    var height: Int
    var bytes: Int
    var sha256: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, position, alt, format, width, height, bytes, sha256
        case productID = "product_id", createdAt = "created_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let productID = Column(CodingKeys.productID)
        static let position = Column(CodingKeys.position)
        static let alt = Column(CodingKeys.alt)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(_ new: NewProductImage) {
        let image = new.image
        (id, productID, position, alt, format) = (image.id, new.productID, image.position, image.alt, image.format)
        (width, height, bytes, sha256, createdAt) = (image.width, image.height, image.bytes, new.sha256, new.createdAt)
    }
}

/// A row of `product_image_renditions`: one encoded width of a picture.
struct ProductImageRenditionRecord: StoredRecord {
    static let databaseTableName = "product_image_renditions"
    static let image = belongsTo(ProductImageRecord.self)

    var imageID: UUID
    var width: Int
    var height: Int
    var mediaType: String
    var etag: String
    var data: Data

    enum CodingKeys: String, CodingKey {
        case width, height, etag, data
        case imageID = "image_id", mediaType = "media_type"
    }

    init(_ rendition: ImageRendition, of imageID: UUID) {
        (self.imageID, width, height, mediaType, etag, data) = (imageID, rendition.width, rendition.height, rendition.mediaType, rendition.etag, rendition.data)
    }

    var rendition: ImageRendition {
        ImageRendition(width: width, height: height, mediaType: mediaType, data: data, etag: etag)
    }
}

/// A picture with the widths it has, as a product's gallery lists them: one query for the
/// pictures, one for all their renditions' widths (not their bytes).
struct ProductImageInfo: Decodable, FetchableRecord {
    struct Width: Decodable, FetchableRecord {
        var width: Int
    }

    var image: ProductImageRecord
    var renditions: [Width]

    static func request(productID: UUID) -> QueryInterfaceRequest<ProductImageInfo> {
        ProductImageRecord.filter(ProductImageRecord.Columns.productID == productID.lowercased)
            .order(ProductImageRecord.Columns.position, ProductImageRecord.Columns.createdAt, ProductImageRecord.Columns.id)
            .including(all: ProductImageRecord.renditions.select(Column("image_id"), Column("width")).order(Column("width")))
            .asRequest(of: ProductImageInfo.self)
    }

    var productImage: ProductImage {
        ProductImage(id: image.id, alt: image.alt, width: image.width, height: image.height, format: image.format, bytes: image.bytes,
                     position: image.position, widths: renditions.map(\.width))
    }
}
