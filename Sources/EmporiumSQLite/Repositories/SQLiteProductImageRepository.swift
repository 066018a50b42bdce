import EmporiumCore
import Foundation
import GRDB

struct SQLiteProductImageRepository: ProductImageRepository {
    let db: Database

    func insert(_ new: NewProductImage) throws {
        try ProductImageRecord(new).insert(db)
        for rendition in new.renditions {
            try ProductImageRenditionRecord(rendition, of: new.image.id).insert(db)
        }
    }

    func images(productID: UUID) throws -> [ProductImage] {
        try ProductImageInfo.request(productID: productID).fetchAll(db).map(\.productImage)
    }

    func update(_ image: ProductImage) throws {
        try ProductImageRecord.filter(key: image.id.lowercased)
            .updateAll(db, ProductImageRecord.Columns.alt.set(to: image.alt), ProductImageRecord.Columns.position.set(to: image.position))
    }

    /// Its renditions go with it (`ON DELETE CASCADE`; foreign keys are on for every shop file).
    func delete(id: UUID) throws {
        _ = try ProductImageRecord.deleteOne(db, key: id.lowercased)
    }

    /// A picture of a deleted product is not served.
    func rendition(imageID: UUID, width: Int) throws -> ImageRendition? {
        try ProductImageRenditionRecord.filter(Column("image_id") == imageID.lowercased && Column("width") == width)
            .joining(required: ProductImageRenditionRecord.image
                .joining(required: ProductImageRecord.product.filter(ProductRecord.Columns.deletedAt == nil)))
            .fetchOne(db)?.rendition
    }

    func refreshMedia(productID: UUID) throws {
        let media = JSONValue.array(try images(productID: productID).map(Self.json))
        try ProductRecord.filter(ProductRecord.Columns.id == productID.lowercased).updateAll(db, ProductRecord.Columns.media.set(to: media))
    }

    // MARK: The products.media column

    static func json(_ image: ProductImage) -> JSONValue {
        .object([
            "id": .string(image.id.lowercased), "alt": .string(image.alt), "width": .number(Double(image.width)),
            "height": .number(Double(image.height)), "format": .string(image.format.rawValue), "bytes": .number(Double(image.bytes)),
            "position": .number(Double(image.position)), "widths": .array(image.widths.map { .number(Double($0)) }),
        ])
    }

    /// The media list of a products row; entries it cannot read are left out rather than failing the listing.
    static func media(_ text: String) throws -> [ProductImage] {
        text == "[]" ? [] : media(try JSONValue.parse(text))
    }

    static func media(_ value: JSONValue) -> [ProductImage] {
        guard case .array(let entries) = value else { return [] }
        return entries.compactMap { entry in
            guard case .object(let fields) = entry, case .string(let id)? = fields["id"], let uuid = UUID(uuidString: id),
                  case .string(let format)? = fields["format"], let format = ImageFormat(rawValue: format),
                  case .array(let widths)? = fields["widths"] else { return nil }
            func integer(_ key: String) -> Int {
                if case .number(let value)? = fields[key], let exact = Int(exactly: value) { exact } else { 0 }
            }
            let alt: String = if case .string(let text)? = fields["alt"] { text } else { "" }
            return ProductImage(id: uuid, alt: alt, width: integer("width"), height: integer("height"), format: format, bytes: integer("bytes"),
                                position: integer("position"),
                                widths: widths.compactMap { if case .number(let value) = $0 { Int(exactly: value) } else { nil } })
        }
    }
}
