import Foundation

/// One option value of a variant: `Size` = `M`.
public struct VariantOption: Sendable, Equatable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == VariantOption {
    /// The values joined as people read a variant: "M / Red"; empty without options.
    public var title: String { map(\.value).joined(separator: " / ") }
}

/// An option of a product with the values its variants use, in the order they first appear.
public struct ProductOption: Sendable, Equatable {
    public var name: String
    public var values: [String]
}

/// What a customer actually buys: a product in one combination of its options, with its own SKU,
/// price, stock and weight. A product without options has one default variant (no options), so
/// carts, orders and inventory always work on variants. Money is in minor units.
public struct ProductVariant: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var productID: UUID
    public var sku: String
    /// In the product's option order; empty for a default variant.
    public var options: [VariantOption]
    public var priceMinor: Int
    public var stock: Int
    public var reserved: Int
    public var sales: Int
    public var weightGrams: Int
    public var attributes: [String: JSONValue]
    /// Display order among the product's variants, from 1.
    public var position: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, productID: UUID, sku: String, options: [VariantOption], priceMinor: Int, stock: Int, reserved: Int = 0, sales: Int = 0,
                weightGrams: Int, attributes: [String: JSONValue] = [:], position: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.productID = productID
        self.sku = sku
        self.options = options
        self.priceMinor = priceMinor
        self.stock = stock
        self.reserved = reserved
        self.sales = sales
        self.weightGrams = weightGrams
        self.attributes = attributes
        self.position = position
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var available: Int { stock - reserved }

    /// "M / Red"; empty for a default variant.
    public var title: String { options.title }

    /// The combination, case-insensitively: two variants of one product never share it.
    public var optionsKey: String { Self.key(options) }

    static func key(_ options: [VariantOption]) -> String {
        options.map { $0.value.lowercased() }.joined(separator: "\u{1F}")
    }

    /// The audit view of a variant.
    public var auditValues: JSONValue {
        .object([
            "sku": .string(sku), "options": .string(title), "priceMinor": .number(Double(priceMinor)), "stock": .number(Double(stock)),
            "weightGrams": .number(Double(weightGrams)),
        ])
    }
}

extension Product {
    /// The options its variants use: names from the first variant, values in order of appearance.
    public var options: [ProductOption] {
        guard let first = variants.first else { return [] }
        return first.options.indices.map { index in
            var values: [String] = []
            for variant in variants where index < variant.options.count && !values.contains(variant.options[index].value) {
                values.append(variant.options[index].value)
            }
            return ProductOption(name: first.options[index].name, values: values)
        }
    }

    /// What the cache counts for it: the fixed fields, the description and ~200 bytes a variant.
    var estimatedBytes: Int { 400 + description.utf8.count + 200 * variants.count + 120 * media.count }

    /// True when the product is sold in one default variant, edited through the product itself.
    public var isSingleVariant: Bool { variants.count == 1 && variants[0].options.isEmpty }

    /// The variant a buyer means: the one named, or the only one when the product has a single
    /// variant. `field` names the request field in the error.
    public func variant(_ id: UUID?, field: String) throws -> ProductVariant {
        if let id {
            guard let variant = variants.first(where: { $0.id == id }) else {
                throw DomainError.invalid(field, "is not a variant of \(name)")
            }
            return variant
        }
        guard variants.count == 1, let only = variants.first else {
            throw DomainError.invalid(field, "\(name) comes in \(variants.count) variants: choose one")
        }
        return only
    }
}
