import Foundation

/// One line to price: what the customer buys, at the shop's current price.
public struct PricingLine: Sendable, Equatable {
    public var productID: UUID
    public var categoryID: UUID?
    public var quantity: Int
    public var unitPriceMinor: Int
    public var gramsEach: Int

    public init(productID: UUID, categoryID: UUID?, quantity: Int, unitPriceMinor: Int, gramsEach: Int = 0) {
        self.productID = productID
        self.categoryID = categoryID
        self.quantity = quantity
        self.unitPriceMinor = unitPriceMinor
        self.gramsEach = gramsEach
    }

    public var baseMinor: Int { quantity.multipliedSaturated(by: unitPriceMinor) }
}

/// A line after discounts and tax.
public struct PricedLine: Sendable, Equatable {
    public var baseMinor: Int
    public var discountMinor: Int
    public var taxMinor: Int

    /// What the customer pays for the line: discounted, plus tax when prices exclude it.
    public func totalMinor(pricesIncludeTax: Bool) -> Int {
        let discounted = baseMinor - discountMinor
        return pricesIncludeTax ? discounted : discounted.addingSaturated(taxMinor)
    }
}

/// A discount as applied to one order: frozen on the order, shown on its invoice.
public struct AppliedDiscount: Sendable, Equatable, Codable {
    public var discountID: UUID
    public var code: String?
    public var name: String
    public var amountMinor: Int

    public init(discountID: UUID, code: String?, name: String, amountMinor: Int) {
        self.discountID = discountID
        self.code = code
        self.name = name
        self.amountMinor = amountMinor
    }
}

/// A tax line of an order or invoice.
public struct TaxLine: Sendable, Equatable, Codable {
    public var name: String
    public var ratePPM: Int
    public var amountMinor: Int

    public init(name: String, ratePPM: Int, amountMinor: Int) {
        self.name = name
        self.ratePPM = ratePPM
        self.amountMinor = amountMinor
    }
}

/// The money of one checkout, in the shop's minor units.
public struct CheckoutTotals: Sendable, Equatable, Codable {
    /// Σ quantity × unit price, as the shop entered its prices.
    public var subtotalMinor: Int
    public var discountMinor: Int
    /// The shipping method's price as the shop entered it (tax-inclusive when prices are).
    public var shippingMinor: Int
    /// All tax of the order: the lines' and the shipping's.
    public var taxMinor: Int
    /// What the customer pays.
    public var totalMinor: Int
    public var pricesIncludeTax: Bool

    public init(subtotalMinor: Int, discountMinor: Int, shippingMinor: Int, taxMinor: Int, totalMinor: Int, pricesIncludeTax: Bool) {
        self.subtotalMinor = subtotalMinor
        self.discountMinor = discountMinor
        self.shippingMinor = shippingMinor
        self.taxMinor = taxMinor
        self.totalMinor = totalMinor
        self.pricesIncludeTax = pricesIncludeTax
    }

    /// The total without tax.
    public var netMinor: Int { totalMinor - taxMinor }

    /// An order without discount, shipping or tax (and every order placed before checkout pricing).
    public static func plain(subtotalMinor: Int) -> CheckoutTotals {
        CheckoutTotals(subtotalMinor: subtotalMinor, discountMinor: 0, shippingMinor: 0, taxMinor: 0, totalMinor: subtotalMinor, pricesIncludeTax: false)
    }
}

/// The price rules of a checkout (docs/commerce.md, "Price, discount and tax"), as one pure
/// function so the cart's quote and the placed order can never disagree:
///
/// 1. Each line's base is quantity × unit price.
/// 2. Discounts apply in the order given (automatic promotions, then the coupon), each to what its
///    eligible lines still cost after the earlier ones: a percentage per line, rounded half up; a
///    fixed amount capped at what the lines cost and spread over them in proportion (largest
///    remainders get the leftover minor units, so the parts add up exactly).
/// 3. Tax per line on the discounted amount, rounded half up per line: exclusive prices add
///    `amount × rate`; inclusive prices contain `amount − amount ÷ (1 + rate)`.
/// 4. Shipping is priced on the discounted goods (for "free above") and taxed at the same rate,
///    the same way.
public enum CheckoutPricing {
    public static let million = 1_000_000

    public struct Result: Sendable, Equatable {
        public var lines: [PricedLine]
        public var discounts: [AppliedDiscount]
        public var taxLines: [TaxLine]
        public var totals: CheckoutTotals
    }

    public static func price(_ lines: [PricingLine], discounts: [Discount], shippingMinor: Int?, taxRate: TaxRate?,
                             pricesIncludeTax: Bool) -> Result {
        var remaining = lines.map(\.baseMinor)
        let subtotal = remaining.reduce(0) { $0.addingSaturated($1) }
        var applied: [AppliedDiscount] = []
        for discount in discounts {
            let eligible = lines.indices.filter { discount.applies(to: lines[$0]) }
            let taken = take(discount.value, from: &remaining, eligible: eligible)
            if taken > 0 || discount.code != nil {
                applied.append(AppliedDiscount(discountID: discount.id, code: discount.code, name: discount.name, amountMinor: taken))
            }
        }
        let rate = taxRate?.ratePPM ?? 0
        let priced = lines.indices.map { index in
            PricedLine(baseMinor: lines[index].baseMinor, discountMinor: lines[index].baseMinor - remaining[index],
                       taxMinor: tax(on: remaining[index], ratePPM: rate, included: pricesIncludeTax))
        }
        let shipping = shippingMinor ?? 0
        let shippingTax = tax(on: shipping, ratePPM: rate, included: pricesIncludeTax)
        let goods = remaining.reduce(0) { $0.addingSaturated($1) }
        let taxTotal = priced.reduce(shippingTax) { $0.addingSaturated($1.taxMinor) }
        let total = pricesIncludeTax ? goods.addingSaturated(shipping) : goods.addingSaturated(shipping).addingSaturated(taxTotal)
        let totals = CheckoutTotals(subtotalMinor: subtotal, discountMinor: subtotal - goods, shippingMinor: shipping, taxMinor: taxTotal,
                                    totalMinor: total, pricesIncludeTax: pricesIncludeTax)
        let taxLines = taxRate.map { [TaxLine(name: $0.name, ratePPM: $0.ratePPM, amountMinor: taxTotal)] } ?? []
        return Result(lines: priced, discounts: applied, taxLines: taxLines, totals: totals)
    }

    /// The tax in (inclusive) or on (exclusive) `amount` at `ratePPM`, rounded half up.
    public static func tax(on amount: Int, ratePPM: Int, included: Bool) -> Int {
        guard amount > 0, ratePPM > 0 else { return 0 }
        if included {
            return amount - Proportion.of(amount, times: million, over: million + ratePPM)
        }
        return Proportion.of(amount, times: ratePPM, over: million)
    }

    /// Takes `value` off the eligible lines' remaining amounts; returns how much it took in all.
    static func take(_ value: DiscountValue, from remaining: inout [Int], eligible: [Int]) -> Int {
        switch value {
        case .percentage(let ppm):
            var taken = 0
            for index in eligible {
                let part = min(remaining[index], Proportion.of(remaining[index], times: min(ppm, million), over: million))
                remaining[index] -= part
                taken += part
            }
            return taken
        case .fixed(let minor):
            let pool = eligible.reduce(0) { $0.addingSaturated(remaining[$1]) }
            let amount = min(max(0, minor), pool)
            guard amount > 0 else { return 0 }
            // Floor shares in proportion to each line's amount; the leftover minor units go to the
            // largest remainders (ties: the earlier line), one each.
            var shares: [(index: Int, share: Int, remainder: Int)] = eligible.map { index in
                let product = amount.multipliedFullWidth(by: remaining[index])
                let (share, remainder) = pool.dividingFullWidth(product)
                return (index, share, remainder)
            }
            var leftover = amount - shares.reduce(0) { $0 + $1.share }
            for position in shares.indices.sorted(by: { (shares[$0].remainder, -$0) > (shares[$1].remainder, -$1) }) where leftover > 0 {
                shares[position].share += 1
                leftover -= 1
            }
            for part in shares { remaining[part.index] -= part.share }
            return amount
        }
    }
}
