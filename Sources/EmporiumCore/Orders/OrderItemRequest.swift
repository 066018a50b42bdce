import Foundation

/// One requested line of `POST /orders` or `POST /checkout/quote`: a product, the variant (may be
/// left out when the product has one), and how many.
public struct OrderItemRequest: Sendable, Equatable {
    public var productID: String
    public var variantID: String?
    public var quantity: Int

    public init(productID: String, variantID: String? = nil, quantity: Int) {
        self.productID = productID
        self.variantID = variantID
        self.quantity = quantity
    }

    /// A line checked for shape, before any product is read.
    struct Parsed: Equatable {
        var productID: UUID
        var variantID: UUID?
        var quantity: Int
        /// The index of the first request line it came from, for errors.
        var index: Int
    }

    /// Checks ids and quantities and merges repeated lines of one product and variant.
    static func parse(_ items: [OrderItemRequest], maximumLines: Int) throws -> [Parsed] {
        guard !items.isEmpty else { throw DomainError.invalid("items", "must not be empty") }
        guard items.count <= maximumLines else { throw DomainError.invalid("items", "at most \(maximumLines) lines") }
        var merged: [Parsed] = []
        for (index, item) in items.enumerated() {
            guard let id = UUID(uuidString: item.productID) else { throw DomainError.invalid("items[\(index)].productId", "must be a UUID") }
            let variant = try ProductFields.uuid(item.variantID, field: "items[\(index)].variantId")
            guard CartService.quantityRange.contains(item.quantity) else {
                throw DomainError.invalid("items[\(index)].quantity", "must be from 1 to 999")
            }
            if let existing = merged.firstIndex(where: { $0.productID == id && $0.variantID == variant }) {
                merged[existing].quantity = try sum(merged[existing].quantity, item.quantity, index: index)
            } else {
                merged.append(Parsed(productID: id, variantID: variant, quantity: item.quantity, index: index))
            }
        }
        return merged
    }

    /// Two lines that turned out to be the same variant (one named it, one left it out) become one.
    static func combine(_ lines: [(product: Product, variant: ProductVariant, quantity: Int, index: Int)]) throws
        -> [(product: Product, variant: ProductVariant, quantity: Int, index: Int)] {
        var result: [(product: Product, variant: ProductVariant, quantity: Int, index: Int)] = []
        for line in lines {
            if let existing = result.firstIndex(where: { $0.variant.id == line.variant.id }) {
                result[existing].quantity = try sum(result[existing].quantity, line.quantity, index: line.index)
            } else {
                result.append(line)
            }
        }
        return result
    }

    private static func sum(_ a: Int, _ b: Int, index: Int) throws -> Int {
        let (total, overflow) = a.addingReportingOverflow(b)
        guard !overflow, CartService.quantityRange.contains(total) else {
            throw DomainError.invalid("items[\(index)].quantity", "must be from 1 to 999 in total")
        }
        return total
    }

    var fingerprint: String { "\(productID.lowercased())/\(variantID?.lowercased() ?? "")x\(quantity)" }
}
