import EmporiumCore
import Foundation
import GRDB

struct SQLiteCatalogRepository: CatalogRepository {
    let db: Database

    // MARK: Categories

    func insertCategory(_ category: Category) throws {
        do {
            try CategoryRecord(category).insert(db)
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A category with this slug already exists")
        }
    }

    func updateCategory(_ category: Category) throws {
        do {
            try CategoryRecord(category).update(db, columns: ["name", "slug", "parent_id", "seo_title", "seo_description", "updated_at"])
        } catch RecordError.recordNotFound {
            return
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A category with this slug already exists")
        }
    }

    func deleteCategory(id: UUID) throws {
        _ = try CategoryRecord.deleteOne(db, key: id.lowercased)
    }

    func category(id: UUID) throws -> Category? {
        try CategoryRecord.fetchOne(db, key: id.lowercased)?.category
    }

    func category(reference: String) throws -> Category? {
        let reference = reference.lowercased()
        return try CategoryRecord.filter(Column("id") == reference || Column("slug") == reference).fetchOne(db)?.category
    }

    func categories() throws -> [Category] {
        try CategoryRecord.order(Column("name")).fetchAll(db).map(\.category)
    }

    // MARK: Products

    func insertProduct(_ product: Product) throws {
        do {
            try ProductRecord(product).insert(db)
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A product with this sku or slug already exists")
        }
    }

    /// Writes the product's own fields. Price, stock, reserved, sales and weight are its variants'
    /// (the schema's triggers keep the totals): they change through the variant methods. A
    /// deleted product is not written.
    func updateProduct(_ product: Product) throws {
        do {
            // The table's primary key is the row number, which the domain value does not carry.
            guard let seq = try livingProduct(product.id).select(Column("seq"), as: Int64.self).fetchOne(db) else { return }
            var record = ProductRecord(product)
            record.seq = seq
            try record.update(db, columns: ProductRecord.Columns.ownFields)
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A product with this sku or slug already exists")
        }
    }

    /// The variants go with it, which frees their SKUs; pending orders still release or sell
    /// what they reserved.
    func deleteProduct(id: UUID, at date: Date) throws {
        typealias Variant = ProductVariantRecord.Columns
        try ProductVariantRecord.filter(Variant.productID == id.lowercased && Variant.deletedAt == nil)
            .updateAll(db, Variant.deletedAt.set(to: date.sqlText), Variant.updatedAt.set(to: date.sqlText))
        try ProductRecord.filter(ProductRecord.Columns.id == id.lowercased).updateAll(db, [
            ProductRecord.Columns.deletedAt.set(to: date.sqlText), ProductRecord.Columns.status.set(to: ProductStatus.inactive.rawValue),
            ProductRecord.Columns.updatedAt.set(to: date.sqlText),
        ])
        try CartItemRecord.filter(CartItemRecord.Columns.productID == id.lowercased).deleteAll(db)
    }

    private func livingProduct(_ id: UUID) -> QueryInterfaceRequest<ProductRecord> {
        ProductRecord.filter(ProductRecord.Columns.id == id.lowercased && ProductRecord.Columns.deletedAt == nil)
    }

    // MARK: Variants

    func insertVariant(_ variant: ProductVariant) throws {
        do {
            try ProductVariantRecord(variant).insert(db)
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A variant with the SKU \(variant.sku) or these options already exists")
        }
    }

    /// A deleted variant is not written.
    func updateVariant(_ variant: ProductVariant) throws {
        do {
            guard try livingVariant(variant.id).fetchCount(db) == 1 else { return }
            try ProductVariantRecord(variant).update(db, columns: ProductVariantRecord.Columns.editable)
        } catch let error as DatabaseError {
            if error.extendedResultCode == .SQLITE_CONSTRAINT_CHECK {
                throw DomainError.invalid("stock", "must not be below the units reserved by open orders")
            }
            throw error.domainError(conflict: "A variant with the SKU \(variant.sku) or these options already exists")
        }
    }

    func deleteVariant(id: UUID, at date: Date) throws {
        typealias Variant = ProductVariantRecord.Columns
        try livingVariant(id).updateAll(db, Variant.deletedAt.set(to: date.sqlText), Variant.updatedAt.set(to: date.sqlText))
        try CartItemRecord.filter(CartItemRecord.Columns.variantID == id.lowercased).deleteAll(db)
    }

    private func livingVariant(_ id: UUID) -> QueryInterfaceRequest<ProductVariantRecord> {
        ProductVariantRecord.filter(key: id.lowercased).filter(ProductVariantRecord.Columns.deletedAt == nil)
    }

    static let variantsOfProduct = "SELECT * FROM product_variants WHERE product_id = ? AND deleted_at IS NULL ORDER BY position, created_at, id"

    /// The variants of a page of products, in one query.
    func withVariants(_ products: [Product]) throws -> [Product] {
        guard !products.isEmpty else { return products }
        if products.count == 1 {
            var product = products[0]
            product.variants = try Row.decodedAll(db.cachedStatement(sql: Self.variantsOfProduct), arguments: [product.id.lowercased], Self.variant)
            return [product]
        }
        let marks = Self.placeholders(products.count)
        var byProduct: [UUID: [ProductVariant]] = [:]
        for variant in try Row.decodedAll(db, sql: """
            SELECT * FROM product_variants WHERE product_id IN (\(marks)) AND deleted_at IS NULL ORDER BY product_id, position, created_at, id
            """, arguments: StatementArguments(products.map(\.id.lowercased)), Self.variant) {
            byProduct[variant.productID, default: []].append(variant)
        }
        return products.map { product in
            var product = product
            product.variants = byProduct[product.id] ?? []
            return product
        }
    }

    static let selectProduct = selectProducts(from: "products p")

    /// Products with their category's name, read from `source` (the table, or the table through a chosen index).
    static func selectProducts(from source: String) -> String {
        "SELECT p.*, c.name AS category_name FROM \(source) LEFT JOIN categories c ON c.id = p.category_id"
    }

    /// By id, else by slug: two indexed lookups. (One `id = ? OR slug = ?` query scanned the whole
    /// table, as the slug index is partial — found by profiling checkout, which looks up every line.)
    static let productByID = selectProduct + " WHERE p.id = ? AND p.deleted_at IS NULL"
    static let productBySlug = selectProduct + " WHERE p.slug = ? AND p.deleted_at IS NULL"

    func product(reference: String) throws -> Product? {
        let found = try Row.decodedAll(db.cachedStatement(sql: Self.productByID), arguments: [reference.lowercased()], Self.product).first
            ?? Row.decodedAll(db.cachedStatement(sql: Self.productBySlug), arguments: [reference], Self.product).first
        return try found.map { try withVariants([$0])[0] }
    }

    /// A listing's selection as SQL over `p` (products, or `product_facets`: the same column names):
    /// `base` is every filter but the text match and the price range, `prices` the price range.
    struct Selection {
        var base: String
        var baseArguments: StatementArguments
        var prices: [String]
        var priceArguments: StatementArguments

        init(_ query: ProductQuery) {
            var clauses = ["p.deleted_at IS NULL"]
            var arguments: StatementArguments = []
            if !query.includeHidden {
                clauses.append("p.status = 'active'")
            } else if let status = query.status {
                clauses.append("p.status = ?")
                arguments += [status.rawValue]
            }
            if let category = query.category {
                clauses.append("p.category_id IN (SELECT id FROM categories WHERE id = ? OR slug = ?)")
                arguments += [category.lowercased(), category.lowercased()]
            }
            (base, baseArguments) = (clauses.joined(separator: " AND "), arguments)
            (prices, priceArguments) = Self.priceRange(min: query.minPriceMinor, max: query.maxPriceMinor)
        }

        /// `p.price_minor` within the bounds given (none, one or both).
        static func priceRange(min: Int?, max: Int?) -> (clauses: [String], arguments: StatementArguments) {
            var clauses: [String] = [], arguments: StatementArguments = []
            if let min { clauses.append("p.price_minor >= ?"); arguments += [min] }
            if let max { clauses.append("p.price_minor <= ?"); arguments += [max] }
            return (clauses, arguments)
        }

        /// Every filter but the text match: the ranked page takes its hits from the FTS table itself.
        var filter: (sql: String, arguments: StatementArguments) {
            (([base] + prices).joined(separator: " AND "), baseArguments + priceArguments)
        }
    }

    /// An unsearched listing's page. Cheapest first by price, over the storefront's whole selection,
    /// walks `products_price`: its order, (price, rowid), is the page's order, so the walk stops
    /// after the page. Left to itself the planner (no statistics) takes `products_status_created`
    /// for `status = 'active'` and sorts every product first: 0.77 s for a page of 1,000,000
    /// products against 2 ms. A category or another status may select few products, which a walk
    /// in price order would have to look for through most of the shop: those keep the planner's
    /// choice, as do the other orders (a sort by popularity over equal sales sorts nearly everything).
    static func listingPageStatement(_ query: ProductQuery) -> (sql: String, arguments: StatementArguments) {
        let filter = Selection(query).filter, order = sortOrder(query.sort)
        let walksPrices = query.sort == .price && query.category == nil && (!query.includeHidden || query.status == nil)
        let source = walksPrices ? selectProducts(from: "products p INDEXED BY products_price") : selectProduct
        return (source + " WHERE \(filter.sql) ORDER BY \(order) LIMIT ? OFFSET ?", filter.arguments + [query.page.limit, query.page.offset])
    }

    /// `ORDER BY` of a listing (with a search and no sort: relevance, in `rankedWindow`).
    static func sortOrder(_ sort: ProductSort?) -> String {
        switch sort {
        case .price: "p.price_minor ASC, p.seq"
        case .priceDescending: "p.price_minor DESC, p.seq"
        case .name: "p.name COLLATE NOCASE ASC, p.seq"
        case .createdAt: "p.created_at ASC, p.seq"
        case .createdAtDescending, nil: "p.created_at DESC, p.seq DESC"
        case .popularity: "p.sales DESC, p.views DESC, p.seq"
        }
    }

    func productPage(_ query: ProductQuery) throws -> [Product] {
        let products: [Product]
        if let match = query.match {
            let filter = Selection(query).filter
            if query.sort == nil {
                products = try rankedWindow(match: match, filter: filter.sql, arguments: filter.arguments, page: query.page)
                    ?? rankedScan(match: match, filter: filter.sql, arguments: filter.arguments, page: query.page)
            } else {
                products = try Row.decodedAll(db, sql: Self.selectProduct + """
                     WHERE \(filter.sql) AND p.seq IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?) ORDER BY \(Self.sortOrder(query.sort)) LIMIT ? OFFSET ?
                    """, arguments: filter.arguments + [match, query.page.limit, query.page.offset], Self.product)
            }
        } else {
            let statement = Self.listingPageStatement(query)
            products = try Row.decodedAll(db, sql: statement.sql, arguments: statement.arguments, Self.product)
        }
        return try withVariants(products)
    }

    func productFacets(_ query: ProductQuery) throws -> ListingFacets {
        let selection = Selection(query)
        // Categories and price range describe the selection before the price filter narrows it.
        return try Self.facets(db, match: query.match, base: selection.base, arguments: selection.baseArguments,
                               minPrice: query.minPriceMinor, maxPrice: query.maxPriceMinor)
    }

    /// bm25 with the name weighing most, then description, SKU and category name.
    static let relevance = "bm25(products_fts, 10.0, 1.0, 5.0, 2.0)"
    /// Deepest relevance window tried before the full ranked scan: at most this many hits' ids are
    /// bound into one statement.
    static let rankedWindowLimit = 1_000

    /// The page of a search in relevance order from a window of the best hits, ranked by the FTS
    /// table alone; only the window's rows are filtered and only the page's rows read. At 1,000,000
    /// products a term with 125,000 hits took 321 ms joined to every hit's product row, 122 ms in
    /// the FTS table alone. The answer is the full scan's: any hit outside the window ranks after
    /// all hits inside it, so the window decides the page when it held every hit or enough of them
    /// passed the filters. Otherwise (hidden products or filters thinning the window out, or a page
    /// deeper than the window allows) nil, and the caller scans.
    func rankedWindow(match: String, filter: String, arguments: StatementArguments, page: Page) throws -> [Product]? {
        let needed = page.offset.addingSaturated(page.limit)
        let window = needed.multipliedSaturated(by: 2).addingSaturated(20)
        guard window <= Self.rankedWindowLimit else { return nil }
        let ranked = try Int64.fetchAll(db, sql: """
            SELECT rowid FROM products_fts WHERE products_fts MATCH ? ORDER BY \(Self.relevance), rowid LIMIT ?
            """, arguments: [match, window])
        guard !ranked.isEmpty else { return [] }
        let passing = try Set(Int64.fetchAll(db, sql: Self.windowFilterSQL(hits: ranked.count, filter: filter),
                                             arguments: StatementArguments(ranked) + arguments))
        let ordered = ranked.filter(passing.contains)
        guard ordered.count >= needed || ranked.count < window else { return nil }
        let shown = Array(ordered.dropFirst(page.offset).prefix(page.limit))
        guard !shown.isEmpty else { return [] }
        var found: [Int64: Product] = [:]
        for (seq, product) in try Row.decodedAll(db, sql: Self.selectProduct + " WHERE p.seq IN (\(Self.placeholders(shown.count)))",
                                                 arguments: StatementArguments(shown), { row in (row["seq"] as Int64, try Self.product(row)) }) {
            found[seq] = product
        }
        return shown.compactMap { found[$0] }
    }

    /// Which of a window's hits pass the filters, each looked up by its rowid. `NOT INDEXED`: with
    /// `status = ?` in the filter the planner walked the status index over every product instead
    /// (114 ms at 1,000,000 products, for 100 hits).
    static func windowFilterSQL(hits: Int, filter: String) -> String {
        "SELECT p.seq FROM product_facets p NOT INDEXED WHERE p.seq IN (\(placeholders(hits))) AND \(filter)"
    }

    /// The page of a search in relevance order by one FTS scan joined to every hit's product (a
    /// per-row bm25 subquery ran the MATCH once per hit: 370 ms for 1,250 hits of 10,000).
    func rankedScan(match: String, filter: String, arguments: StatementArguments, page: Page) throws -> [Product] {
        try Row.decodedAll(db, sql: """
            SELECT p.*, c.name AS category_name FROM products_fts
            JOIN products p ON p.seq = products_fts.rowid LEFT JOIN categories c ON c.id = p.category_id
            WHERE products_fts MATCH ? AND \(filter) ORDER BY \(Self.relevance), p.seq LIMIT ? OFFSET ?
            """, arguments: [match] + arguments + [page.limit, page.offset], Self.product)
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// The listing's count, category names and price range in one pass over the selection, grouped
    /// by category: three queries walked the same rows three times, and for a search each of them
    /// ran the full-text match again (at 100,000 products: ~110 ms of a cold search's ~160 ms).
    /// The rows are `product_facets` (the columns `base` filters on, kept by triggers), and a
    /// search walks its hits in the FTS table's rowid order and looks each one up, instead of
    /// looking the products up through a temporary list of the hits: at 1,000,000 products with
    /// 125,000 hits, 506 ms (`products`, `seq IN (…)`) became ~90 ms.
    /// The count honours the price filter; the names and the range describe the selection before it.
    /// Names are ordered as SQLite's `ORDER BY c.name` did (bytewise, BINARY collation).
    static func facets(_ db: Database, match: String?, base: String, arguments: StatementArguments, minPrice: Int?, maxPrice: Int?)
        throws -> ListingFacets {
        let statement = facetsStatement(match: match, base: base, arguments: arguments, minPrice: minPrice, maxPrice: maxPrice)
        var total = 0
        var names = Set<String>()
        var low: Int?, high: Int?
        for row in try Row.fetchAll(db, sql: statement.sql, arguments: statement.arguments) {
            total = total.addingSaturated(row["counted"] ?? 0)
            if let name: String = row["name"] { names.insert(name) }
            if let value: Int = row["low"] { low = min(low ?? value, value) }
            if let value: Int = row["high"] { high = max(high ?? value, value) }
        }
        let sorted = names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return ListingFacets(total: total, categoryNames: sorted, priceRange: low.flatMap { low in high.map { (low, $0) } })
    }

    /// The facets' one statement: per category, the count (in the price range, if any), and the
    /// lowest and highest price. `base` filters `p` by the columns `product_facets` holds.
    static func facetsStatement(match: String?, base: String, arguments: StatementArguments, minPrice: Int?, maxPrice: Int?)
        -> (sql: String, arguments: StatementArguments) {
        let (inRange, rangeArguments) = Selection.priceRange(min: minPrice, max: maxPrice)
        let counted = inRange.isEmpty ? "count(*)" : "sum(CASE WHEN \(inRange.joined(separator: " AND ")) THEN 1 ELSE 0 END)"
        let from: String, condition: String, selected: StatementArguments
        if let match {
            from = "products_fts CROSS JOIN product_facets p ON p.seq = products_fts.rowid"
            condition = "products_fts MATCH ? AND \(base)"
            selected = [match] + arguments
        } else {
            (from, condition, selected) = ("product_facets p", base, arguments)
        }
        // Grouped first, then named: joined per row, each hit cost a lookup in the categories' index.
        return ("""
            SELECT c.name AS name, g.counted AS counted, g.low AS low, g.high AS high FROM (
                SELECT p.category_id AS category_id, \(counted) AS counted, min(p.price_minor) AS low, max(p.price_minor) AS high
                FROM \(from) WHERE \(condition) GROUP BY p.category_id
            ) g LEFT JOIN categories c ON c.id = g.category_id
            """, rangeArguments + selected)
    }

    /// Holds `quantity` units unless fewer are free (one conditional UPDATE: two orders racing
    /// for the last unit cannot both win).
    func reserve(variantID: UUID, quantity: Int) throws -> Bool {
        try db.executeCached(
            sql: "UPDATE product_variants SET reserved = reserved + ? WHERE id = ? AND deleted_at IS NULL AND stock - reserved >= ?",
            arguments: [quantity, variantID.lowercased, quantity]
        )
        return db.changesCount == 1
    }

    func adjust(variantID: UUID, stock: Int, reserved: Int, sales: Int) throws {
        try db.executeCached(
            sql: "UPDATE product_variants SET stock = stock + ?, reserved = reserved + ?, sales = max(0, sales + ?) WHERE id = ?",
            arguments: [stock, reserved, sales, variantID.lowercased]
        )
    }

    func addViews(_ counts: [UUID: Int]) throws {
        let statement = try db.cachedStatement(sql: "UPDATE products SET views = views + ? WHERE id = ?")
        for (product, count) in counts {
            try statement.execute(arguments: [count, product.lowercased])
        }
    }

    func lowStockVariants(limit: Int) throws -> [LowStockVariant] {
        try LowStockRow.fetchAll(db, sql: """
            SELECT p.id AS product_id, v.id AS variant_id, p.name, v.options, v.sku, v.stock - v.reserved AS available
            FROM products p JOIN product_variants v ON v.product_id = p.id AND v.deleted_at IS NULL
            WHERE p.deleted_at IS NULL AND p.status = 'active' AND v.stock - v.reserved <= p.low_stock_threshold
            ORDER BY v.stock - v.reserved, p.name, v.position LIMIT ?
            """, arguments: [limit]).map(\.variant)
    }

    // MARK: Storefront addresses

    func retireSlug(_ slug: String, kind: SlugKind, target: UUID, at date: Date) throws {
        // `save`, not `upsert`: GRDB's upsert asks for the rowid, which this WITHOUT ROWID table has not.
        try RetiredSlugRecord(kind: kind, slug: slug, targetID: target, retiredAt: date).save(db)
    }

    func retiredSlugTarget(_ slug: String, kind: SlugKind) throws -> UUID? {
        try RetiredSlugRecord.fetchOne(db, key: [RetiredSlugRecord.CodingKeys.kind.stringValue: kind.rawValue,
                                                RetiredSlugRecord.CodingKeys.slug.stringValue: slug])?.targetID
    }

    func sitemapProducts(offset: Int, limit: Int) throws -> [SitemapEntry] {
        try SitemapRow.fetchAll(db, sql: """
            SELECT slug, updated_at FROM products WHERE deleted_at IS NULL AND status = 'active' ORDER BY seq LIMIT ? OFFSET ?
            """, arguments: [limit, offset]).map { SitemapEntry(slug: $0.slug, updatedAt: $0.updatedAt) }
    }

    func activeProductCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM products WHERE deleted_at IS NULL AND status = 'active'") ?? 0
    }

    func searchTermExists(prefix: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM products_fts_vocab WHERE term >= ? AND term <= ?)",
                          arguments: [prefix, Self.rangeEnd(prefix)]) ?? false
    }

    func searchTerms(prefix: String, lengths: ClosedRange<Int>, limit: Int) throws -> [SearchTerm] {
        try SearchTermRow.fetchAll(db, sql: """
            SELECT term, doc FROM products_fts_vocab WHERE term >= ? AND term <= ? AND length(term) BETWEEN ? AND ? LIMIT ?
            """, arguments: [prefix, Self.rangeEnd(prefix), lengths.lowerBound, lengths.upperBound, limit])
            .map { SearchTerm(term: $0.term, documents: $0.doc) }
    }

    /// The last string a range of words starting with `prefix` reaches: fts5vocab seeks to a range
    /// given by `term >= ? AND term <= ?` (a `<` bound it would apply by reading every word).
    static func rangeEnd(_ prefix: String) -> String {
        prefix + "\u{10FFFF}"
    }

    /// A word of the search index (`products_fts_vocab`) and how many products hold it.
    struct SearchTermRow: Decodable, FetchableRecord {
        var term: String
        var doc: Int
    }

    /// A product's address and last change, for the sitemap.
    struct SitemapRow: Decodable, FetchableRecord {
        var slug: String
        var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case slug
            case updatedAt = "updated_at"
        }
    }

    /// A row of the low-stock report.
    struct LowStockRow: Decodable, FetchableRecord {
        var productID: UUID
        var variantID: UUID
        var name: String
        var options: [VariantOption]
        var sku: String
        var available: Int

        enum CodingKeys: String, CodingKey {
            case name, options, sku, available
            case productID = "product_id", variantID = "variant_id"
        }

        var variant: LowStockVariant {
            let title = options.title
            return LowStockVariant(productID: productID, variantID: variantID, name: title.isEmpty ? name : "\(name) (\(title))", sku: sku,
                                   available: available)
        }
    }

    static func options(_ text: String) throws -> [VariantOption] {
        guard case .array(let items) = try JSONValue.parse(text) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed variant options")
        }
        return try items.map { item in
            guard case .object(let fields) = item, case .string(let name)? = fields["name"], case .string(let value)? = fields["value"] else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed variant options")
            }
            return VariantOption(name: name, value: value)
        }
    }

    static func variant(_ row: Row) throws -> ProductVariant {
        let id: String = row["id"], product: String = row["product_id"], optionsText: String = row["options"], attributesText: String = row["attributes"]
        guard let uuid = UUID(uuidString: id), let productID = UUID(uuidString: product),
              case .object(let attributes) = try JSONValue.parse(attributesText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed product_variants row \(id)")
        }
        return ProductVariant(id: uuid, productID: productID, sku: row["sku"], options: try options(optionsText), priceMinor: row["price_minor"],
                              stock: row["stock"], reserved: row["reserved"], sales: row["sales"], weightGrams: row["weight_grams"],
                              attributes: attributes, position: row["position"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static func product(_ row: Row) throws -> Product {
        let id: String = row["id"], status: String = row["status"], category: String? = row["category_id"]
        let imagesText: String = row["images"], attributesText: String = row["attributes"]
        guard let uuid = UUID(uuidString: id), let status = ProductStatus(rawValue: status),
              case .array(let images) = try JSONValue.parse(imagesText), case .object(let attributes) = try JSONValue.parse(attributesText)
        else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed products row \(id)")
        }
        return Product(
            id: uuid, sku: row["sku"], name: row["name"], slug: row["slug"], description: row["description"],
            seo: SearchAppearance(title: row["seo_title"], description: row["seo_description"]), priceMinor: row["price_minor"],
            status: status, categoryID: try category.map { try UUID(stored: $0, in: "products") }, categoryName: row["category_name"],
            images: images.compactMap { if case .string(let url) = $0 { url } else { nil } },
            media: try SQLiteProductImageRepository.media(row["media"] ?? "[]"), attributes: attributes,
            stock: row["stock"], reserved: row["reserved"], lowStockThreshold: row["low_stock_threshold"],
            weightGrams: row["weight_grams"], views: row["views"],
            sales: row["sales"], createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }
}
