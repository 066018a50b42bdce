import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import GRDB
import Testing

/// A listing's facets (total, categories, price range) are read once per selection and shared by
/// its pages and sort orders; a change to the catalog drops them with the pages.
@Suite("Catalog: a selection's facets are cached apart from its pages")
struct ListingFacetsCacheTests {
    @Test func pagesAndSortsOfOneSelectionShareItsFacetsUntilTheCatalogChanges() async throws {
        let app = try TestApp.make()
        let (shop, category) = try await app.commerceShop()
        for index in 1...3 {
            try await app.product(in: shop, sku: "P\(index)", name: "Teapot \(index)", price: "\(index)0.00", category: category.id)
        }
        let catalog = app.deps.catalog
        let first = try await catalog.list(in: shop, ProductQuery(page: Page(page: 1, limit: 1)))
        #expect(first.total == 3 && first.categoryNames == ["Kitchen"] && first.priceRange?.min == 1000 && first.priceRange?.max == 3000)

        // Behind the service's back (nothing dropped from the cache): the cheapest teapot costs 0.01.
        try await app.backend.registry.withDatabase(shop) { database in
            try await database.write { db in try db.execute(sql: "UPDATE product_variants SET price_minor = 1 WHERE sku = 'P1'") }
        }
        let second = try await catalog.list(in: shop, ProductQuery(page: Page(page: 2, limit: 1)))
        let byPrice = try await catalog.list(in: shop, ProductQuery(page: Page(page: 1, limit: 1), sort: .price))
        #expect(byPrice.products.first?.priceMinor == 1, "the page itself is read afresh")
        #expect(second.priceRange?.min == 1000 && byPrice.priceRange?.min == 1000 && second.total == 3 && byPrice.total == 3,
                "the facets come from the first page's reading")
        let searched = try await catalog.list(in: shop, ProductQuery(page: Page(page: 1, limit: 1), match: SearchText.matchExpression("teapot")))
        #expect(searched.priceRange?.min == 1, "another selection reads its own")

        // A change through the service drops every cached reading of the shop.
        try await app.product(in: shop, sku: "P4", name: "Teapot 4", price: "40.00", category: category.id)
        let after = try await catalog.list(in: shop, ProductQuery(page: Page(page: 2, limit: 1)))
        #expect(after.total == 4 && after.priceRange?.min == 1 && after.priceRange?.max == 4000)
    }
}
