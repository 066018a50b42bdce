import Foundation

/// A variant as the client sent it (`POST /products/{id}/variants`, or one of `variants` in
/// `POST /products`). Price and weight default to the product's.
public struct VariantInput: Sendable {
    public var sku: String
    public var options: [VariantOption]
    public var price: Decimal?
    public var stock: Int?
    public var weightGrams: Int?
    public var attributes: [String: JSONValue]?

    public init(sku: String, options: [VariantOption], price: Decimal? = nil, stock: Int? = nil, weightGrams: Int? = nil,
                attributes: [String: JSONValue]? = nil) {
        self.sku = sku
        self.options = options
        self.price = price
        self.stock = stock
        self.weightGrams = weightGrams
        self.attributes = attributes
    }

    struct Valid {
        let sku: String
        let options: [VariantOption]
        let priceMinor: Int?
        let stock: Int
        let weightGrams: Int?
        let attributes: [String: JSONValue]
    }

    /// `field` prefixes every reported field, e.g. `variants[2]`.
    func validated(exponent: Int, field: String? = nil) throws -> Valid {
        var issues: [FieldIssue] = []
        let sku = collect(&issues) { try ProductFields.sku(self.sku) }
        let options = collect(&issues) { try VariantRules.options(self.options) }
        let price = collect(&issues) { try self.price.map { try Money.minorUnits($0, exponent: exponent) } }
        let stock = collect(&issues) { try ProductFields.count(self.stock ?? 0, field: "stock") }
        let weight = collect(&issues) { try self.weightGrams.map { try ProductFields.count($0, field: "weightGrams") } }
        let attributes = collect(&issues) { try ProductFields.attributes(self.attributes ?? [:]) }
        guard issues.isEmpty, let sku, let options, let price, let stock, let weight, let attributes else {
            throw DomainError.validation(VariantRules.prefixed(issues, field))
        }
        return Valid(sku: sku, options: options, priceMinor: price, stock: stock, weightGrams: weight, attributes: attributes)
    }
}

/// `PATCH /products/{id}/variants/{variantId}`: any subset.
public struct VariantPatch: Sendable {
    public var sku: String?
    public var options: [VariantOption]?
    public var price: Decimal?
    public var stock: Int?
    public var weightGrams: Int?
    public var attributes: [String: JSONValue]?
    public var position: Int?

    public init() {}

    struct Valid {
        var sku: String?
        var options: [VariantOption]?
        var priceMinor: Int?
        var stock: Int?
        var weightGrams: Int?
        var attributes: [String: JSONValue]?
        var position: Int?
    }

    func validated(exponent: Int) throws -> Valid {
        var issues: [FieldIssue] = []
        var valid = Valid()
        if let sku { valid.sku = collect(&issues) { try ProductFields.sku(sku) } }
        if let options { valid.options = collect(&issues) { try VariantRules.options(options) } }
        if let price { valid.priceMinor = collect(&issues) { try Money.minorUnits(price, exponent: exponent) } }
        if let stock { valid.stock = collect(&issues) { try ProductFields.count(stock, field: "stock") } }
        if let weightGrams { valid.weightGrams = collect(&issues) { try ProductFields.count(weightGrams, field: "weightGrams") } }
        if let attributes { valid.attributes = collect(&issues) { try ProductFields.attributes(attributes) } }
        if let position {
            valid.position = collect(&issues) {
                guard (1...VariantRules.maximumVariants).contains(position) else {
                    throw DomainError.invalid("position", "must be from 1 to \(VariantRules.maximumVariants)")
                }
                return position
            }
        }
        guard issues.isEmpty else { throw DomainError.validation(issues) }
        return valid
    }
}

/// The rules that keep a product's variants coherent: at most three options (as Shopify), the
/// same option names in the same order on every variant, one variant per combination, at most
/// 100 variants.
public enum VariantRules {
    public static let maximumOptions = 3
    public static let maximumVariants = 100

    static func options(_ raw: [VariantOption]) throws -> [VariantOption] {
        guard raw.count <= maximumOptions else { throw DomainError.invalid("options", "at most \(maximumOptions) options") }
        var seen: Set<String> = []
        return try raw.enumerated().map { index, option in
            let name = option.name.trimmed, value = option.value.trimmed
            guard (1...40).contains(name.count) else { throw DomainError.invalid("options[\(index)].name", "must be 1 to 40 characters") }
            guard (1...60).contains(value.count) else { throw DomainError.invalid("options[\(index)].value", "must be 1 to 60 characters") }
            guard seen.insert(name.lowercased()).inserted else { throw DomainError.invalid("options[\(index)].name", "'\(name)' is given twice") }
            return VariantOption(name: name, value: value)
        }
    }

    /// Checks a product's whole set of variants after a change; `field` names the variant that
    /// was changed or added, for the error. Option names are matched case-insensitively and take
    /// the first variant's spelling, so "size" joins "Size".
    static func normalized(_ variants: [ProductVariant], field: String) throws -> [ProductVariant] {
        guard !variants.isEmpty else { throw DomainError.conflict("A product keeps at least one variant") }
        guard variants.count <= maximumVariants else { throw DomainError.invalid(field, "a product has at most \(maximumVariants) variants") }
        let names = variants[0].options.map(\.name)
        var combinations: Set<String> = []
        var skus: Set<String> = []
        var result = variants
        for index in result.indices {
            let options = result[index].options
            guard options.count == names.count, zip(options, names).allSatisfy({ $0.name.lowercased() == $1.lowercased() }) else {
                let expected = names.isEmpty ? "no options" : names.joined(separator: ", ")
                throw DomainError.invalid("\(field).options", "every variant of this product has the options \(expected), in that order")
            }
            result[index].options = zip(options, names).map { VariantOption(name: $1, value: $0.value) }
            guard combinations.insert(result[index].optionsKey).inserted else {
                throw DomainError.conflict("This product already has a variant \(result[index].title.isEmpty ? "without options" : result[index].title)")
            }
            guard skus.insert(result[index].sku.lowercased()).inserted else {
                throw DomainError.conflict("Two variants of this product share the SKU \(result[index].sku)")
            }
        }
        return result
    }

    static func prefixed(_ issues: [FieldIssue], _ prefix: String?) -> [FieldIssue] {
        guard let prefix else { return issues }
        return issues.map { FieldIssue(field: "\(prefix).\($0.field)", message: $0.message) }
    }
}
