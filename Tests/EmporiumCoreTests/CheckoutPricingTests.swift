@testable import EmporiumCore
import Foundation
import Testing

@Suite("Checkout pricing: discounts, tax, shipping, rounding and currency exponents")
struct CheckoutPricingTests {
    let teapot = UUID(), mug = UUID(), kitchen = UUID()
    let epoch = Date(timeIntervalSince1970: 0)

    func discount(_ value: DiscountValue, target: DiscountTarget = .order, code: String? = "SAVE") -> Discount {
        Discount(id: UUID(), code: code, name: "Save", value: value, target: target, createdAt: epoch, updatedAt: epoch)
    }

    func rate(_ ppm: Int) -> TaxRate {
        TaxRate(id: UUID(), country: "DE", region: nil, name: "VAT", ratePPM: ppm, createdAt: epoch, updatedAt: epoch)
    }

    /// The worked example of docs/commerce.md: 2 teapots at 19.99 and 3 mugs at 4.99 (mugs in
    /// Kitchen), 10 % off the order, 19 % VAT, shipping 4.90, prices entered without tax.
    @Test func theWorkedExampleOfTheDocsAddsUpToTheMinorUnit() {
        let lines = [PricingLine(productID: teapot, categoryID: nil, quantity: 2, unitPriceMinor: 1999),
                     PricingLine(productID: mug, categoryID: kitchen, quantity: 3, unitPriceMinor: 499)]
        let result = CheckoutPricing.price(lines, discounts: [discount(.percentage(ppm: 100_000))], shippingMinor: 490, taxRate: rate(190_000),
                                           pricesIncludeTax: false)
        // 3998 − 400 (399.8 rounds half up) = 3598; 1497 − 150 (149.7) = 1347
        #expect(result.lines.map(\.discountMinor) == [400, 150])
        // tax per line: 3598 × 0.19 = 683.62 → 684; 1347 × 0.19 = 255.93 → 256; shipping 490 × 0.19 = 93.1 → 93
        #expect(result.lines.map(\.taxMinor) == [684, 256])
        #expect(result.totals == CheckoutTotals(subtotalMinor: 5495, discountMinor: 550, shippingMinor: 490, taxMinor: 1033,
                                                totalMinor: 3598 + 1347 + 490 + 1033, pricesIncludeTax: false))
        #expect(result.totals.totalMinor == 6468)
        #expect(result.totals.netMinor == 5435)
        #expect(result.discounts.map(\.amountMinor) == [550])
        #expect(result.taxLines == [TaxLine(name: "VAT", ratePPM: 190_000, amountMinor: 1033)])
    }

    /// Tax-inclusive prices: the total is what the shelf says; the tax is the part contained in it.
    @Test func inclusivePricesContainTheirTaxAndTheTotalIsTheShelfPrice() {
        let lines = [PricingLine(productID: teapot, categoryID: nil, quantity: 1, unitPriceMinor: 1190)]
        let result = CheckoutPricing.price(lines, discounts: [], shippingMinor: 595, taxRate: rate(190_000), pricesIncludeTax: true)
        // 1190 / 1.19 = 1000 → tax 190; shipping 595 / 1.19 = 500 → tax 95
        #expect(result.lines.map(\.taxMinor) == [190])
        #expect(result.totals.taxMinor == 285)
        #expect(result.totals.totalMinor == 1785)
        #expect(result.totals.netMinor == 1500)
    }

    /// A fixed amount is spread in proportion, and the parts add up exactly to the amount.
    @Test func aFixedAmountIsSpreadOverTheLinesWithoutLosingAMinorUnit() {
        let lines = (0..<3).map { _ in PricingLine(productID: UUID(), categoryID: nil, quantity: 1, unitPriceMinor: 333) }
        let result = CheckoutPricing.price(lines, discounts: [discount(.fixed(minor: 100))], shippingMinor: nil, taxRate: nil, pricesIncludeTax: false)
        #expect(result.lines.map(\.discountMinor).reduce(0, +) == 100)
        #expect(Set(result.lines.map(\.discountMinor)).isSubset(of: [33, 34]))
        #expect(result.totals.totalMinor == 899)
    }

    @Test func aFixedAmountNeverTakesMoreThanTheEligibleLinesCost() {
        let lines = [PricingLine(productID: teapot, categoryID: nil, quantity: 1, unitPriceMinor: 500),
                     PricingLine(productID: mug, categoryID: kitchen, quantity: 1, unitPriceMinor: 300)]
        let result = CheckoutPricing.price(lines, discounts: [discount(.fixed(minor: 10_000), target: .categories([kitchen]))], shippingMinor: nil,
                                           taxRate: nil, pricesIncludeTax: false)
        #expect(result.lines.map(\.discountMinor) == [0, 300])
        #expect(result.totals.totalMinor == 500)
    }

    @Test func productDiscountsTouchOnlyTheirProducts() {
        let lines = [PricingLine(productID: teapot, categoryID: nil, quantity: 2, unitPriceMinor: 1000),
                     PricingLine(productID: mug, categoryID: nil, quantity: 1, unitPriceMinor: 1000)]
        let result = CheckoutPricing.price(lines, discounts: [discount(.percentage(ppm: 250_000), target: .products([mug]))], shippingMinor: nil,
                                           taxRate: nil, pricesIncludeTax: false)
        #expect(result.lines.map(\.discountMinor) == [0, 250])
    }

    /// Stacked discounts apply one after the other to what is left, so 100 % + anything is 0, never negative.
    @Test func stackedDiscountsNeverTakeAnOrderBelowZero() {
        let lines = [PricingLine(productID: teapot, categoryID: nil, quantity: 1, unitPriceMinor: 999)]
        let result = CheckoutPricing.price(lines, discounts: [discount(.percentage(ppm: 1_000_000), code: nil), discount(.fixed(minor: 500))],
                                           shippingMinor: 0, taxRate: rate(190_000), pricesIncludeTax: false)
        #expect(result.totals.totalMinor == 0)
        #expect(result.totals.discountMinor == 999)
    }

    /// The largest amounts a request can reach (999 × 10^9 per line, 100 % tax) compute exactly, no trap.
    @Test func theLargestAmountsARequestCanReachComputeWithoutOverflow() {
        let lines = (0..<100).map { _ in PricingLine(productID: UUID(), categoryID: nil, quantity: 999, unitPriceMinor: Money.maximumMinor) }
        let result = CheckoutPricing.price(lines, discounts: [discount(.fixed(minor: Money.maximumMinor)), discount(.percentage(ppm: 333_333))],
                                           shippingMinor: Money.maximumMinor, taxRate: rate(1_000_000), pricesIncludeTax: false)
        #expect(result.totals.subtotalMinor == 99_900_000_000_000)
        #expect(result.totals.totalMinor > 0)
        #expect(result.lines.allSatisfy { $0.discountMinor <= $0.baseMinor })
        #expect(Proportion.of(.max, times: .max, over: 1) == .max)
        #expect(Proportion.of(7, times: 1, over: 2) == 4)
        #expect(Proportion.of(5, times: 1, over: 2) == 3)
        #expect(Proportion.of(4, times: 1, over: 3) == 1)
    }

    @Test func weightBandsAndFreeAboveDecideTheShippingPrice() {
        let method = ShippingMethod(id: UUID(), name: "Parcel", rate: .weight(bands: [WeightBand(upToGrams: 2000, priceMinor: 700),
                                                                                    WeightBand(upToGrams: 500, priceMinor: 400)]), freeAboveMinor: 5000)
        #expect(method.price(grams: 500, goodsMinor: 100) == 400)
        #expect(method.price(grams: 501, goodsMinor: 100) == 700)
        #expect(method.price(grams: 2001, goodsMinor: 100) == nil)
        #expect(method.price(grams: 1000, goodsMinor: 5000) == 0)
    }

    @Test func aRegionalRateBeatsTheCountryRate() {
        let country = TaxRate(id: UUID(), country: "US", region: nil, name: "None", ratePPM: 0, createdAt: epoch, updatedAt: epoch)
        let california = TaxRate(id: UUID(), country: "US", region: "CA", name: "CA sales tax", ratePPM: 72_500, createdAt: epoch, updatedAt: epoch)
        #expect([country, california].rate(country: "US", region: "ca")?.name == "CA sales tax")
        #expect([country, california].rate(country: "US", region: "NY")?.name == "None")
        #expect([country, california].rate(country: "DE", region: nil) == nil)
    }

    @Test(arguments: [("JPY", "1500", 1500), ("USD", "19.99", 1999), ("KWD", "1.250", 1250), ("BHD", "0.005", 5)])
    func amountsFollowTheCurrencysDecimals(_ code: String, _ text: String, _ minor: Int) throws {
        let exponent = Currency.exponent(code)
        #expect(try Money.minorUnits(Decimal(string: text)!, exponent: exponent) == minor)
        #expect(Money.amount(minor, exponent: exponent) == Decimal(string: text)!)
    }

    @Test func tooManyDecimalsForTheCurrencyAreRefused() {
        #expect(throws: DomainError.self) { try Money.minorUnits(Decimal(string: "15.5")!, exponent: Currency.exponent("JPY")) }
        #expect(throws: DomainError.self) { try Money.minorUnits(Decimal(string: "1.2345")!, exponent: Currency.exponent("KWD")) }
    }

    @Test func addressesAreValidatedFieldByField() throws {
        let valid = try PostalAddress(name: " Ada ", line1: "1 Main St", city: "Berlin", postalCode: "", country: "de").validated(field: "shippingAddress")
        #expect(valid.country == "DE" && valid.name == "Ada" && valid.postalCode == nil)
        do {
            _ = try PostalAddress(name: "", line1: "x", city: String(repeating: "c", count: 101), country: "UK").validated(field: "shippingAddress")
            Issue.record("an invalid address passed")
        } catch DomainError.validation(let issues) {
            #expect(Set(issues.map(\.field)) == ["shippingAddress.name", "shippingAddress.city", "shippingAddress.country"])
        }
    }
}
