import EmporiumCore
import GRDB

struct SQLiteShopPageRepository: ShopPageRepository {
    let db: Database

    func pages() throws -> [ShopPage] {
        try ShopPageRecord.order(ShopPageRecord.Columns.position, ShopPageRecord.Columns.slug).limit(ShopPage.maximumPages + 10)
            .fetchAll(db).map(\.page)
    }

    func page(slug: String) throws -> ShopPage? {
        try ShopPageRecord.fetchOne(db, key: slug)?.page
    }

    func save(_ page: ShopPage) throws {
        try ShopPageRecord(page).save(db)
    }

    func delete(slug: String) throws -> Bool {
        try ShopPageRecord.deleteOne(db, key: slug)
    }
}
