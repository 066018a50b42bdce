import Foundation

/// Products' pictures in a shop's file: one row per image, one per rendition, and the product's
/// `media` list (what listings show) rewritten by `refreshMedia` after every change.
public protocol ProductImageRepository {
    func insert(_ image: NewProductImage) throws
    /// The product's images in display order.
    func images(productID: UUID) throws -> [ProductImage]
    /// Writes alt text and position.
    func update(_ image: ProductImage) throws
    /// Removes the image and its renditions.
    func delete(id: UUID) throws
    /// The rendition `width` of an image whose product is not deleted.
    func rendition(imageID: UUID, width: Int) throws -> ImageRendition?
    /// Copies the product's images, in order, into the product row that listings read.
    func refreshMedia(productID: UUID) throws
}
