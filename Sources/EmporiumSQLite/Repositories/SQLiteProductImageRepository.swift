import EmporiumCore
import Foundation
import GRDB

struct SQLiteProductImageRepository: ProductImageRepository {
    let db: Database

    func insert(_ new: NewProductImage) throws {
        let image = new.image
        try db.execute(
            sql: """
                INSERT INTO product_images (id, product_id, position, alt, format, width, height, bytes, sha256, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [image.id.lowercased, new.productID.lowercased, image.position, image.alt, image.format.rawValue, image.width, image.height,
                        image.bytes, new.sha256, new.createdAt]
        )
        for rendition in new.renditions {
            try db.execute(
                sql: "INSERT INTO product_image_renditions (image_id, width, height, media_type, etag, data) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [image.id.lowercased, rendition.width, rendition.height, rendition.mediaType, rendition.etag, rendition.data]
            )
        }
    }

    func images(productID: UUID) throws -> [ProductImage] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT i.*, (SELECT group_concat(width) FROM (SELECT width FROM product_image_renditions WHERE image_id = i.id ORDER BY width)) AS widths
            FROM product_images i WHERE product_id = ? ORDER BY position, created_at, id
            """, arguments: [productID.lowercased])
        return try rows.map { row in
            let id: String = row["id"], format: String = row["format"], widths: String? = row["widths"]
            guard let uuid = UUID(uuidString: id), let format = ImageFormat(rawValue: format) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed product_images row \(id)")
            }
            return ProductImage(id: uuid, alt: row["alt"], width: row["width"], height: row["height"], format: format, bytes: row["bytes"],
                                position: row["position"], widths: (widths ?? "").split(separator: ",").compactMap { Int($0) })
        }
    }

    func update(_ image: ProductImage) throws {
        try db.execute(sql: "UPDATE product_images SET alt = ?, position = ? WHERE id = ?", arguments: [image.alt, image.position, image.id.lowercased])
    }

    /// Its renditions go with it (`ON DELETE CASCADE`; foreign keys are on for every shop file).
    func delete(id: UUID) throws {
        try db.execute(sql: "DELETE FROM product_images WHERE id = ?", arguments: [id.lowercased])
    }

    func rendition(imageID: UUID, width: Int) throws -> ImageRendition? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT r.width, r.height, r.media_type, r.etag, r.data FROM product_image_renditions r
            JOIN product_images i ON i.id = r.image_id JOIN products p ON p.id = i.product_id
            WHERE r.image_id = ? AND r.width = ? AND p.deleted_at IS NULL
            """, arguments: [imageID.lowercased, width]) else { return nil }
        return ImageRendition(width: row["width"], height: row["height"], mediaType: row["media_type"], data: row["data"], etag: row["etag"])
    }

    func refreshMedia(productID: UUID) throws {
        let media = try JSONValue.array(images(productID: productID).map(Self.json)).jsonText()
        try db.execute(sql: "UPDATE products SET media = ? WHERE id = ?", arguments: [media, productID.lowercased])
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
        guard text != "[]", case .array(let entries) = try JSONValue.parse(text) else { return [] }
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
