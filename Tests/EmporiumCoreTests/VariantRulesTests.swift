@testable import EmporiumCore
import Foundation
import Testing

@Suite("Variant rules: options, combinations, choosing a variant")
struct VariantRulesTests {
    func variant(_ sku: String, _ options: [(String, String)]) -> ProductVariant {
        ProductVariant(id: UUID(), productID: UUID(), sku: sku, options: options.map { VariantOption(name: $0.0, value: $0.1) }, priceMinor: 100,
                       stock: 1, weightGrams: 0, position: 1, createdAt: Date(), updatedAt: Date())
    }

    @Test func optionNamesFollowTheFirstVariantAndCombinationsAreUniqueWhateverTheCase() throws {
        let checked = try VariantRules.normalized([variant("A", [("Size", "S")]), variant("B", [("size", "M")])], field: "v")
        #expect(checked.map { $0.options[0].name } == ["Size", "Size"])
        #expect(throws: DomainError.self) { try VariantRules.normalized([variant("A", [("Size", "S")]), variant("B", [("Size", "s")])], field: "v") }
        #expect(throws: DomainError.self) { try VariantRules.normalized([variant("A", [("Size", "S")]), variant("a", [("Size", "M")])], field: "v") }
        #expect(throws: DomainError.self) { try VariantRules.normalized([variant("A", [("Size", "S")]), variant("B", [])], field: "v") }
        #expect(throws: DomainError.self) {
            try VariantRules.normalized([variant("A", [("Size", "S"), ("Colour", "Red")]), variant("B", [("Colour", "Red"), ("Size", "M")])], field: "v")
        }
        #expect(throws: DomainError.self) { try VariantRules.normalized([], field: "v") }
        let many = (0...VariantRules.maximumVariants).map { variant("V\($0)", [("N", "\($0)")]) }
        #expect(throws: DomainError.self) { try VariantRules.normalized(many, field: "v") }
    }

    @Test func optionsAreTrimmedBoundedAndNamedOnce() throws {
        #expect(try VariantRules.options([VariantOption(name: " Size ", value: " M ")]) == [VariantOption(name: "Size", value: "M")])
        for bad in [[VariantOption(name: "", value: "M")], [VariantOption(name: "Size", value: String(repeating: "x", count: 61))],
                    [VariantOption(name: "Size", value: "S"), VariantOption(name: "SIZE", value: "M")],
                    (1...4).map { VariantOption(name: "O\($0)", value: "v") }] {
            #expect(throws: DomainError.self) { try VariantRules.options(bad) }
        }
    }

    @Test func theProductDerivesItsOptionsAndABuyerMustNameOneOfSeveralVariants() throws {
        var product = Product(id: UUID(), sku: "T", name: "Tee", slug: "tee", description: "", priceMinor: 100, status: .active, categoryID: nil,
                              images: [], attributes: [:], stock: 2, lowStockThreshold: 1, createdAt: Date(), updatedAt: Date())
        product.variants = [variant("T-S-R", [("Size", "S"), ("Colour", "Red")]), variant("T-M-R", [("Size", "M"), ("Colour", "Red")]),
                            variant("T-M-B", [("Size", "M"), ("Colour", "Blue")])]
        #expect(product.options == [ProductOption(name: "Size", values: ["S", "M"]), ProductOption(name: "Colour", values: ["Red", "Blue"])])
        #expect(product.variants[2].title == "M / Blue")
        #expect(throws: DomainError.self) { try product.variant(nil, field: "variantId") }
        #expect(throws: DomainError.self) { try product.variant(UUID(), field: "variantId") }
        #expect(try product.variant(product.variants[1].id, field: "variantId").sku == "T-M-R")
        product.variants = [variant("T", [])]
        #expect(try product.variant(nil, field: "variantId").sku == "T" && product.isSingleVariant && product.options.isEmpty)
    }
}
