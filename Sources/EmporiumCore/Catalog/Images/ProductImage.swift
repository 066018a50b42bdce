import Foundation

/// An uploaded picture of a product, as the catalog shows it: which renditions exist (their widths,
/// never wider than the upload) and its alt text. The renditions live in the shop's own file, so a
/// backup or an export of the shop carries them.
public struct ProductImage: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var alt: String
    /// The upload's size, upright (EXIF orientation applied).
    public var width: Int
    public var height: Int
    public var format: ImageFormat
    /// The upload's size in bytes.
    public var bytes: Int
    /// Display order among the product's images, from 1.
    public var position: Int
    /// The widths served, ascending; the last one is the largest.
    public var widths: [Int]

    public init(id: UUID, alt: String, width: Int, height: Int, format: ImageFormat, bytes: Int, position: Int, widths: [Int]) {
        self.id = id
        self.alt = alt
        self.width = width
        self.height = height
        self.format = format
        self.bytes = bytes
        self.position = position
        self.widths = widths
    }

    var auditValues: JSONValue {
        .object(["imageId": .string(id.lowercased), "alt": .string(alt), "format": .string(format.rawValue),
                 "width": .number(Double(width)), "height": .number(Double(height)), "bytes": .number(Double(bytes))])
    }
}

/// One resized copy of an image, ready to serve: WebP, metadata (EXIF, GPS) stripped.
public struct ImageRendition: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var mediaType: String
    public var data: Data
    /// A strong validator of `data` (its SHA-256), quoted as HTTP wants it.
    public var etag: String

    public init(width: Int, height: Int, mediaType: String, data: Data, etag: String) {
        self.width = width
        self.height = height
        self.mediaType = mediaType
        self.data = data
        self.etag = etag
    }
}

/// An upload on its way into storage: the image and its renditions. The upload itself is not
/// kept (a phone photo is megabytes; its renditions are a few hundred kilobytes), only its SHA-256.
public struct NewProductImage: Sendable {
    public var productID: UUID
    public var image: ProductImage
    public var sha256: String
    public var renditions: [ImageRendition]
    public var createdAt: Date

    public init(productID: UUID, image: ProductImage, sha256: String, renditions: [ImageRendition], createdAt: Date) {
        self.productID = productID
        self.createdAt = createdAt
        self.image = image
        self.sha256 = sha256
        self.renditions = renditions
    }
}
