import Foundation

/// `POST /products` as the client sent it; `validated()` applies every rule and reports all
/// failing fields at once (422).
public struct ProductInput: Sendable {
    public var name: String
    public var sku: String
    public var price: Decimal
    public var status: ProductStatus?
    public var categoryID: String?
    public var description: String?
    public var stock: Int?
    public var images: [String]?
    public var attributes: [String: JSONValue]?
    public var lowStockThreshold: Int?
    public var weightGrams: Int?
    public var seoTitle: String?
    public var seoDescription: String?
    /// nil or empty: one default variant with the product's sku, price, stock and weight.
    public var variants: [VariantInput]?
    /// Decimals of the shop's currency (`Currency.exponent`): `price` may have at most this many.
    public var currencyExponent: Int

    public init(name: String, sku: String, price: Decimal, status: ProductStatus? = nil, categoryID: String? = nil, description: String? = nil,
                stock: Int? = nil, images: [String]? = nil, attributes: [String: JSONValue]? = nil, lowStockThreshold: Int? = nil,
                weightGrams: Int? = nil, seoTitle: String? = nil, seoDescription: String? = nil, variants: [VariantInput]? = nil,
                currencyExponent: Int = 2) {
        self.name = name
        self.sku = sku
        self.price = price
        self.status = status
        self.categoryID = categoryID
        self.description = description
        self.stock = stock
        self.images = images
        self.attributes = attributes
        self.lowStockThreshold = lowStockThreshold
        self.weightGrams = weightGrams
        self.seoTitle = seoTitle
        self.seoDescription = seoDescription
        self.variants = variants
        self.currencyExponent = currencyExponent
    }

    struct Valid {
        let name: String
        let sku: String
        let priceMinor: Int
        let status: ProductStatus
        let categoryID: UUID?
        let description: String
        let stock: Int
        let images: [String]
        let attributes: [String: JSONValue]
        let lowStockThreshold: Int
        let weightGrams: Int
        let seo: SearchAppearance
        let variants: [VariantInput.Valid]
    }

    func validated() throws -> Valid {
        var issues: [FieldIssue] = []
        let variants = self.variants ?? []
        if variants.count > VariantRules.maximumVariants {
            issues.append(FieldIssue(field: "variants", message: "at most \(VariantRules.maximumVariants) variants"))
        }
        if !variants.isEmpty, self.stock != nil {
            issues.append(FieldIssue(field: "stock", message: "a product with variants keeps its stock on each variant"))
        }
        let validVariants = variants.prefix(VariantRules.maximumVariants).enumerated().compactMap { index, variant in
            collect(&issues) { try variant.validated(exponent: currencyExponent, field: "variants[\(index)]") }
        }
        let name = collect(&issues) { try ProductFields.name(self.name, field: "name", maximum: 200) }
        let sku = collect(&issues) { try ProductFields.sku(self.sku) }
        let price = collect(&issues) { try Money.minorUnits(self.price, exponent: currencyExponent) }
        let category = collect(&issues) { try ProductFields.uuid(self.categoryID, field: "categoryId") }
        let description = collect(&issues) { try ProductFields.description(self.description ?? "") }
        let stock = collect(&issues) { try ProductFields.count(self.stock ?? 0, field: "stock") }
        let images = collect(&issues) { try ProductFields.images(self.images ?? []) }
        let attributes = collect(&issues) { try ProductFields.attributes(self.attributes ?? [:]) }
        let threshold = collect(&issues) { try ProductFields.count(self.lowStockThreshold ?? 10, field: "lowStockThreshold") }
        let weight = collect(&issues) { try ProductFields.count(self.weightGrams ?? 0, field: "weightGrams") }
        let seo = collect(&issues) { try SearchAppearance.validated(title: seoTitle, description: seoDescription) }
        guard issues.isEmpty, let name, let sku, let price, let category, let description, let stock, let images, let attributes, let threshold,
              let weight, let seo else {
            throw DomainError.validation(issues)
        }
        return Valid(name: name, sku: sku, priceMinor: price, status: status ?? .draft, categoryID: category, description: description,
                     stock: stock, images: images, attributes: attributes, lowStockThreshold: threshold, weightGrams: weight, seo: seo,
                     variants: validVariants)
    }
}

/// `PATCH /products/{id}`: any subset; `categoryID: .some(nil)` removes the category.
public struct ProductPatch: Sendable {
    public var name: String?
    /// A new storefront address; the old one answers 301 to it from then on.
    public var slug: String?
    public var sku: String?
    public var price: Decimal?
    public var status: ProductStatus?
    public var categoryID: String??
    public var description: String?
    public var stock: Int?
    public var images: [String]?
    public var attributes: [String: JSONValue]?
    public var lowStockThreshold: Int?
    public var weightGrams: Int?
    /// `seoTitle` and `seoDescription`: absent stays, null or empty clears.
    public var seo = SearchAppearance.Change()
    /// Decimals of the shop's currency, as in `ProductInput`.
    public var currencyExponent = 2

    public init() {}

    struct Valid {
        var name: String?
        var slug: String?
        var sku: String?
        var priceMinor: Int?
        var status: ProductStatus?
        var categoryID: UUID??
        var description: String?
        var stock: Int?
        var images: [String]?
        var attributes: [String: JSONValue]?
        var lowStockThreshold: Int?
        var weightGrams: Int?
    }

    func validated() throws -> Valid {
        var issues: [FieldIssue] = []
        var valid = Valid(status: status)
        if let name { valid.name = collect(&issues) { try ProductFields.name(name, field: "name", maximum: 200) } }
        if let slug { valid.slug = collect(&issues) { try ProductFields.slug(slug) } }
        if let sku { valid.sku = collect(&issues) { try ProductFields.sku(sku) } }
        if let price { valid.priceMinor = collect(&issues) { try Money.minorUnits(price, exponent: currencyExponent) } }
        if let categoryID { valid.categoryID = collect(&issues) { try ProductFields.uuid(categoryID, field: "categoryId") } }
        if let description { valid.description = collect(&issues) { try ProductFields.description(description) } }
        if let stock { valid.stock = collect(&issues) { try ProductFields.count(stock, field: "stock") } }
        if let images { valid.images = collect(&issues) { try ProductFields.images(images) } }
        if let attributes { valid.attributes = collect(&issues) { try ProductFields.attributes(attributes) } }
        if let lowStockThreshold { valid.lowStockThreshold = collect(&issues) { try ProductFields.count(lowStockThreshold, field: "lowStockThreshold") } }
        if let weightGrams { valid.weightGrams = collect(&issues) { try ProductFields.count(weightGrams, field: "weightGrams") } }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return valid
    }
}

/// The field rules of the catalog, shared by create and update.
enum ProductFields {
    static let maximumStock = 1_000_000_000

    static func name(_ raw: String, field: String, maximum: Int) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximum).contains(value.count) else { throw DomainError.invalid(field, "must be 1 to \(maximum) characters") }
        return value
    }

    static func sku(_ raw: String) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespaces)
        let allowed = value.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
        guard (1...64).contains(value.count), allowed else {
            throw DomainError.invalid("sku", "must be 1 to 64 letters, digits, '-', '_' or '.'")
        }
        return value
    }

    static func slug(_ raw: String) throws -> String {
        let value = DemoCatalog.slug(raw)
        guard (1...120).contains(value.count) else { throw DomainError.invalid("slug", "must contain letters or digits") }
        return value
    }

    static func uuid(_ raw: String?, field: String) throws -> UUID? {
        guard let raw else { return nil }
        guard let id = UUID(uuidString: raw) else { throw DomainError.invalid(field, "must be a UUID") }
        return id
    }

    static func description(_ raw: String) throws -> String {
        guard raw.count <= 10_000 else { throw DomainError.invalid("description", "must be at most 10,000 characters") }
        return raw
    }

    static func count(_ value: Int, field: String) throws -> Int {
        guard (0...maximumStock).contains(value) else { throw DomainError.invalid(field, "must be a whole number from 0 to \(maximumStock)") }
        return value
    }

    static func images(_ urls: [String]) throws -> [String] {
        guard urls.count <= 20 else { throw DomainError.invalid("images", "at most 20 images") }
        for url in urls {
            guard url.count <= 2_048, url.hasPrefix("https://") || url.hasPrefix("http://") || url.hasPrefix("/"), !url.contains(where: \.isWhitespace) else {
                throw DomainError.invalid("images", "each image must be an http(s) URL or a path")
            }
        }
        return urls
    }

    static func attributes(_ attributes: [String: JSONValue]) throws -> [String: JSONValue] {
        guard try JSONValue.object(attributes).jsonText().utf8.count <= 16_384 else {
            throw DomainError.invalid("attributes", "must be at most 16 KiB of JSON")
        }
        return attributes
    }
}
