import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `shop_pages`.
struct ShopPageRecord: StoredRecord {
    static let databaseTableName = "shop_pages"

    var slug: String
    var title: String
    var body: String
    var position: Int
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case slug, title, body, position
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let slug = Column(CodingKeys.slug)
        static let position = Column(CodingKeys.position)
    }

    init(_ page: ShopPage) {
        (slug, title, body, position, updatedAt) = (page.slug, page.title, page.body, page.position, page.updatedAt)
    }

    var page: ShopPage { ShopPage(slug: slug, title: title, body: body, position: position, updatedAt: updatedAt) }
}
