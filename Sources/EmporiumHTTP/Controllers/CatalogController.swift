import EmporiumCore
import Foundation
import Hummingbird
import HummingbirdCore

/// `/categories` and `/products`: anyone browses active products; staff with `products:read`
/// see every status; `products:write` edits.
struct CatalogController {
    let catalog: CatalogService
    let apiPrefix: String

    /// A product as answered to this shop: its prices in the shop's currency, its pictures' URLs.
    func productDTO(_ product: Product, _ context: TenantRequestContext) -> ProductDTO {
        ProductDTO(product, currency: context.tenant.currency, links: MediaLinks(apiPrefix: apiPrefix, tenant: context.tenant))
    }

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("categories", use: categories)
            .post("categories", use: createCategory)
            .patch("categories/{id}", use: updateCategory)
            .delete("categories/{id}", use: deleteCategory)
            .get("products", use: list)
            .post("products", use: create)
            .get("products/{id}", use: show)
            .patch("products/{id}", use: update)
            .delete("products/{id}", use: delete)
            .post("products/{id}/inventory", use: adjustInventory)
            .post("products/{id}/variants", use: createVariant)
            .patch("products/{id}/variants/{variantId}", use: updateVariant)
            .delete("products/{id}/variants/{variantId}", use: deleteVariant)
    }

    struct CategoryRequest: Decodable {
        let name: String
        let slug: String?
        let parentId: String?
        let seoTitle: String?
        let seoDescription: String?
    }

    struct CategoryPatchRequest: Decodable {
        let name: String?
        let slug: String?
        let parentId: String??
        let seo: SearchAppearance.Change

        enum CodingKeys: String, CodingKey { case name, slug, parentId, seoTitle, seoDescription }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            slug = try container.decodeIfPresent(String.self, forKey: .slug)
            parentId = container.contains(.parentId) ? .some(try container.decodeIfPresent(String.self, forKey: .parentId)) : nil
            seo = try CatalogController.appearanceChange(container, title: .seoTitle, description: .seoDescription)
        }
    }

    /// `seoTitle` and `seoDescription` of a PATCH: absent stays, null (or empty) clears.
    static func appearanceChange<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, title: Key, description: Key) throws -> SearchAppearance.Change {
        SearchAppearance.Change(
            title: container.contains(title) ? .some(try container.decodeIfPresent(String.self, forKey: title)) : nil,
            description: container.contains(description) ? .some(try container.decodeIfPresent(String.self, forKey: description)) : nil
        )
    }

    struct ProductRequest: Decodable {
        let name: String
        let sku: String
        let price: Decimal
        let status: ProductStatus?
        let categoryId: String?
        let description: String?
        let stock: Decimal?
        let images: [String]?
        let attributes: [String: JSONValue]?
        let lowStockThreshold: Decimal?
        let weightGrams: Decimal?
        let seoTitle: String?
        let seoDescription: String?
        let variants: [VariantRequest]?
    }

    /// A variant in `POST /products` (`variants`) or `POST /products/{id}/variants`.
    struct VariantRequest: Decodable {
        let sku: String
        let options: [VariantOption]?
        let price: Decimal?
        let stock: Decimal?
        let weightGrams: Decimal?
        let attributes: [String: JSONValue]?

        func input(field: String) throws -> VariantInput {
            VariantInput(sku: sku, options: options ?? [], price: price, stock: try CatalogController.wholeNumber(stock, field: "\(field)stock"),
                         weightGrams: try CatalogController.wholeNumber(weightGrams, field: "\(field)weightGrams"), attributes: attributes)
        }
    }

    struct VariantPatchRequest: Decodable {
        let sku: String?
        let options: [VariantOption]?
        let price: Decimal?
        let stock: Decimal?
        let weightGrams: Decimal?
        let attributes: [String: JSONValue]?
        let position: Decimal?

        func patch() throws -> VariantPatch {
            var patch = VariantPatch()
            patch.sku = sku
            patch.options = options
            patch.price = price
            patch.stock = try CatalogController.wholeNumber(stock, field: "stock")
            patch.weightGrams = try CatalogController.wholeNumber(weightGrams, field: "weightGrams")
            patch.attributes = attributes
            patch.position = try CatalogController.wholeNumber(position, field: "position")
            return patch
        }
    }

    /// Counts arrive as JSON numbers; anything but a whole number is a 422 on that field.
    static func wholeNumber(_ value: Decimal?, field: String) throws -> Int? {
        guard let value else { return nil }
        var copy = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &copy, 0, .plain)
        guard rounded == value, value.magnitude <= 2_000_000_000 else { throw DomainError.invalid(field, "must be a whole number") }
        return NSDecimalNumber(decimal: value).intValue
    }

    struct ProductPatchRequest: Decodable {
        let patch: ProductPatch

        enum CodingKeys: String, CodingKey {
            case name, slug, sku, price, status, categoryId, description, stock, images, attributes, lowStockThreshold, weightGrams
            case seoTitle, seoDescription
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var patch = ProductPatch()
            patch.name = try container.decodeIfPresent(String.self, forKey: .name)
            patch.slug = try container.decodeIfPresent(String.self, forKey: .slug)
            patch.sku = try container.decodeIfPresent(String.self, forKey: .sku)
            patch.price = try container.decodeIfPresent(Decimal.self, forKey: .price)
            patch.status = try container.decodeIfPresent(ProductStatus.self, forKey: .status)
            if container.contains(.categoryId) {
                patch.categoryID = .some(try container.decodeIfPresent(String.self, forKey: .categoryId))
            }
            patch.description = try container.decodeIfPresent(String.self, forKey: .description)
            patch.stock = try CatalogController.wholeNumber(try container.decodeIfPresent(Decimal.self, forKey: .stock), field: "stock")
            patch.images = try container.decodeIfPresent([String].self, forKey: .images)
            patch.attributes = try container.decodeIfPresent([String: JSONValue].self, forKey: .attributes)
            patch.lowStockThreshold = try CatalogController.wholeNumber(
                try container.decodeIfPresent(Decimal.self, forKey: .lowStockThreshold), field: "lowStockThreshold")
            patch.weightGrams = try CatalogController.wholeNumber(try container.decodeIfPresent(Decimal.self, forKey: .weightGrams), field: "weightGrams")
            patch.seo = try CatalogController.appearanceChange(container, title: .seoTitle, description: .seoDescription)
            self.patch = patch
        }
    }

    struct InventoryRequest: Decodable {
        let delta: Int?
        let set: Int?
        let reason: String
        /// Which variant; may be left out for a product with one.
        let variantId: String?
    }

    @Sendable func categories(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: [CategoryDTO]]> {
        Envelope(["categories": try await catalog.categories(in: context.tenant.id).map(CategoryDTO.init)])
    }

    @Sendable func createCategory(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<CategoryDTO>> {
        let actor = try context.require(.productsWrite)
        let input = try await request.decodeJSON(as: CategoryRequest.self, context: context)
        let category = try await catalog.createCategory(in: context.tenant.id, name: input.name, slug: input.slug, parentID: input.parentId,
                                                        seoTitle: input.seoTitle, seoDescription: input.seoDescription, by: actor)
        return EditedResponse(status: .created, response: Envelope(CategoryDTO(category)))
    }

    @Sendable func updateCategory(_ request: Request, context: TenantRequestContext) async throws -> Envelope<CategoryDTO> {
        let actor = try context.require(.productsWrite)
        let input = try await request.decodeJSON(as: CategoryPatchRequest.self, context: context)
        let category = try await catalog.updateCategory(in: context.tenant.id, id: try context.parameters.require("id"), name: input.name,
                                                        slug: input.slug, parentID: input.parentId, seo: input.seo, by: actor)
        return Envelope(CategoryDTO(category))
    }

    @Sendable func deleteCategory(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.productsWrite)
        let id = try context.parameters.require("id")
        try await catalog.deleteCategory(in: context.tenant.id, id: id, by: actor)
        return Envelope(["id": id])
    }

    /// Answers from the encoded body cached with the listing (the same bytes Hummingbird's JSON
    /// encoder would write), so a warm page is not re-encoded per request.
    @Sendable func list(_ request: Request, context: TenantRequestContext) async throws -> Response {
        let query = try Self.productQuery(request.uri.queryParameters, staff: context.user != nil && context.actor.permissions.contains(.productsRead),
                                          exponent: context.tenant.currencyExponent)
        let currency = context.tenant.currency
        let links = MediaLinks(apiPrefix: apiPrefix, tenant: context.tenant)
        let body = try await catalog.list(in: context.tenant.id, query, as: "json:" + currency, cost: { 64 + $0.readableBytes }) { listing in
            // Configured like Hummingbird's default response encoder (dates as ISO 8601), which
            // writes every other answer.
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return ByteBuffer(bytes: try encoder.encode(Envelope(ProductListDTO(listing, page: query.page, currency: currency, links: links))))
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes)],
                        body: .init(byteBuffer: body))
    }

    @Sendable func show(_ request: Request, context: TenantRequestContext) async throws -> Envelope<ProductDTO> {
        let product = try await catalog.product(in: context.tenant.id, reference: try context.parameters.require("id"),
                                                includeHidden: context.actor.permissions.contains(.productsRead))
        return Envelope(productDTO(product, context))
    }

    @Sendable func create(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<ProductDTO>> {
        let actor = try context.require(.productsWrite)
        let input = try await request.decodeJSON(as: ProductRequest.self, context: context)
        let product = try await catalog.createProduct(in: context.tenant.id, ProductInput(
            name: input.name, sku: input.sku, price: input.price, status: input.status, categoryID: input.categoryId,
            description: input.description, stock: try Self.wholeNumber(input.stock, field: "stock"), images: input.images,
            attributes: input.attributes, lowStockThreshold: try Self.wholeNumber(input.lowStockThreshold, field: "lowStockThreshold"),
            weightGrams: try Self.wholeNumber(input.weightGrams, field: "weightGrams"), seoTitle: input.seoTitle, seoDescription: input.seoDescription,
            variants: try input.variants?.enumerated().map { try $1.input(field: "variants[\($0)].") }, currencyExponent: context.tenant.currencyExponent
        ), by: actor)
        return EditedResponse(status: .created, response: Envelope(productDTO(product, context)))
    }

    @Sendable func update(_ request: Request, context: TenantRequestContext) async throws -> Envelope<ProductDTO> {
        let actor = try context.require(.productsWrite)
        var patch = try await request.decodeJSON(as: ProductPatchRequest.self, context: context).patch
        patch.currencyExponent = context.tenant.currencyExponent
        let product = try await catalog.updateProduct(in: context.tenant.id, id: try context.parameters.require("id"), patch, by: actor)
        return Envelope(productDTO(product, context))
    }

    @Sendable func delete(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.productsWrite)
        let id = try context.parameters.require("id")
        try await catalog.deleteProduct(in: context.tenant.id, id: id, by: actor)
        return Envelope(["id": id])
    }

    @Sendable func adjustInventory(_ request: Request, context: TenantRequestContext) async throws -> Envelope<ProductDTO> {
        let actor = try context.require(.productsWrite)
        let input = try await request.decodeJSON(as: InventoryRequest.self, context: context)
        let change: CatalogService.InventoryChange
        switch (input.delta, input.set) {
        case (let delta?, nil): change = .delta(delta)
        case (nil, let value?): change = .set(value)
        default: throw DomainError.invalid("delta", "give exactly one of delta or set")
        }
        let product = try await catalog.adjustInventory(in: context.tenant.id, id: try context.parameters.require("id"), variantID: input.variantId,
                                                        change, reason: input.reason, by: actor)
        return Envelope(productDTO(product, context))
    }

    @Sendable func createVariant(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<VariantDTO>> {
        let actor = try context.require(.productsWrite)
        let input = try await request.decodeJSON(as: VariantRequest.self, context: context)
        let variant = try await catalog.createVariant(in: context.tenant.id, productID: try context.parameters.require("id"), try input.input(field: ""),
                                                      exponent: context.tenant.currencyExponent, by: actor)
        return EditedResponse(status: .created, response: Envelope(VariantDTO(variant, currency: context.tenant.currency)))
    }

    @Sendable func updateVariant(_ request: Request, context: TenantRequestContext) async throws -> Envelope<VariantDTO> {
        let actor = try context.require(.productsWrite)
        let patch = try await request.decodeJSON(as: VariantPatchRequest.self, context: context).patch()
        let variant = try await catalog.updateVariant(in: context.tenant.id, productID: try context.parameters.require("id"),
                                                      variantID: try context.parameters.require("variantId"), patch,
                                                      exponent: context.tenant.currencyExponent, by: actor)
        return Envelope(VariantDTO(variant, currency: context.tenant.currency))
    }

    @Sendable func deleteVariant(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.productsWrite)
        let variantID = try context.parameters.require("variantId")
        try await catalog.deleteVariant(in: context.tenant.id, productID: try context.parameters.require("id"), variantID: variantID, by: actor)
        return Envelope(["id": variantID])
    }

    /// Validates the query of `GET /products`. Anything malformed is 400 with one detail per parameter.
    static func productQuery(_ query: FlatDictionary<Substring, Substring>, staff: Bool, exponent: Int = 2) throws -> ProductQuery {
        var issues: [FieldIssue] = []
        let page: Page
        do {
            page = try query.page()
        } catch DomainError.badRequest(_, let details) {
            issues += details
            page = Page()
        }
        func price(_ name: String) -> Int? {
            guard let raw = query[Substring(name)].map(String.init) else { return nil }
            guard raw.wholeMatch(of: /[0-9]{1,10}(\.[0-9]{1,3})?/) != nil, let value = Decimal(string: raw),
                  let minor = try? Money.minorUnits(value, field: name, exponent: exponent) else {
                issues.append(.init(field: name, message: "must be a non-negative amount with at most \(exponent) decimals"))
                return nil
            }
            return minor
        }
        let minPrice = price("minPrice"), maxPrice = price("maxPrice")
        if let minPrice, let maxPrice, minPrice > maxPrice { issues.append(.init(field: "minPrice", message: "must not exceed maxPrice")) }
        var sort: ProductSort?
        if let raw = query["sort"] {
            sort = ProductSort(rawValue: String(raw))
            if sort == nil { issues.append(.init(field: "sort", message: "one of " + ProductSort.allCases.map(\.rawValue).joined(separator: ", "))) }
        }
        var status: ProductStatus?
        if let raw = query["status"] {
            status = ProductStatus(rawValue: String(raw))
            if status == nil { issues.append(.init(field: "status", message: "one of active, inactive, draft")) }
        }
        let match = query["search"].flatMap { SearchText.matchExpression(String($0)) }
        if match != nil, issues.isEmpty, page.offset + page.limit > ProductQuery.maximumSearchDepth {
            issues.append(.init(field: "page", message: """
                a search shows its first \(ProductQuery.maximumSearchDepth) results: page at most \(ProductQuery.maximumSearchDepth / page.limit) \
                with limit \(page.limit); narrow the search to see others
                """))
        }
        guard issues.isEmpty else { throw DomainError.badRequest("Invalid query parameters", details: issues) }
        return ProductQuery(
            page: page, match: match, category: query["category"].map(String.init),
            status: status, minPriceMinor: minPrice, maxPriceMinor: maxPrice, sort: sort, includeHidden: staff
        )
    }
}
