import EmporiumCore
import Foundation

/// Money in the API: decimals in the order's or shop's currency (`Currency.exponent`).
struct Amounts {
    let exponent: Int

    init(currency: String) { exponent = Currency.exponent(currency) }

    func callAsFunction(_ minor: Int) -> Decimal { Money.amount(minor, exponent: exponent) }
}

struct ShippingOptionDTO: Encodable, Sendable {
    let id: String
    let name: String
    let price: Decimal

    init(_ option: ShippingOption, _ amount: Amounts) {
        id = option.methodID.lowercased
        name = option.name
        price = amount(option.priceMinor)
    }
}

struct AppliedDiscountDTO: Encodable, Sendable {
    let discountId: String
    let code: String?
    let name: String
    let amount: Decimal

    init(_ discount: AppliedDiscount, _ amount: Amounts) {
        discountId = discount.discountID.lowercased
        code = discount.code
        name = discount.name
        self.amount = amount(discount.amountMinor)
    }
}

struct TaxLineDTO: Encodable, Sendable {
    let name: String
    /// Percent.
    let rate: Decimal
    let amount: Decimal

    init(_ line: TaxLine, _ amount: Amounts) {
        name = line.name
        rate = Decimal(line.ratePPM) / 10_000
        self.amount = amount(line.amountMinor)
    }
}

/// The money block shared by quotes and orders.
struct TotalsDTO: Codable, Sendable {
    let subtotal: Decimal
    let discount: Decimal
    let shipping: Decimal
    let tax: Decimal
    let total: Decimal
    let net: Decimal
    let pricesIncludeTax: Bool

    init(_ totals: CheckoutTotals, _ amount: Amounts) {
        subtotal = amount(totals.subtotalMinor)
        discount = amount(totals.discountMinor)
        shipping = amount(totals.shippingMinor)
        tax = amount(totals.taxMinor)
        total = amount(totals.totalMinor)
        net = amount(totals.netMinor)
        pricesIncludeTax = totals.pricesIncludeTax
    }
}

struct QuoteDTO: Encodable, Sendable {
    struct Line: Encodable, Sendable {
        let productId: String
        let variantId: String
        let sku: String
        let name: String
        let options: [VariantOption]
        let quantity: Int
        let unitPrice: Decimal
        let lineTotal: Decimal
        let discount: Decimal
        let tax: Decimal
    }

    let items: [Line]
    let shippingOptions: [ShippingOptionDTO]
    let shippingMethod: ShippingOptionDTO?
    let discounts: [AppliedDiscountDTO]
    let taxLines: [TaxLineDTO]
    let totals: TotalsDTO
    let currency: String

    init(_ quote: CheckoutService.Quote, currency: String) {
        let amount = Amounts(currency: currency)
        items = quote.lines.map { line, priced in
            Line(productId: line.product.id.lowercased, variantId: line.variant.id.lowercased, sku: line.variant.sku, name: line.product.name,
                 options: line.variant.options, quantity: line.quantity, unitPrice: amount(line.variant.priceMinor),
                 lineTotal: amount(priced.baseMinor), discount: amount(priced.discountMinor), tax: amount(priced.taxMinor))
        }
        shippingOptions = quote.plan.shippingOptions.map { ShippingOptionDTO($0, amount) }
        shippingMethod = quote.plan.checkout.shipping.map { ShippingOptionDTO($0, amount) }
        discounts = quote.plan.pricing.discounts.map { AppliedDiscountDTO($0, amount) }
        taxLines = quote.plan.pricing.taxLines.map { TaxLineDTO($0, amount) }
        totals = TotalsDTO(quote.plan.pricing.totals, amount)
        self.currency = currency
    }
}

struct SavedAddressDTO: Encodable, Sendable {
    let id: String
    let address: PostalAddress
    let createdAt: Date
    let updatedAt: Date

    init(_ saved: SavedAddress) {
        id = saved.id.lowercased
        address = saved.address
        createdAt = saved.createdAt
        updatedAt = saved.updatedAt
    }
}

struct ShippingZoneDTO: Encodable, Sendable {
    struct Method: Encodable, Sendable {
        struct Band: Encodable, Sendable {
            let upToGrams: Int
            let price: Decimal
        }

        let id: String
        let name: String
        let type: String
        let price: Decimal?
        let bands: [Band]?
        let freeAbove: Decimal?
    }

    let id: String
    let name: String
    let countries: [String]
    let methods: [Method]
    let createdAt: Date
    let updatedAt: Date

    init(_ zone: ShippingZone, currency: String) {
        let amount = Amounts(currency: currency)
        id = zone.id.lowercased
        name = zone.name
        countries = zone.countries
        methods = zone.methods.map { method in
            switch method.rate {
            case .flat(let price):
                Method(id: method.id.lowercased, name: method.name, type: "flat", price: amount(price), bands: nil,
                       freeAbove: method.freeAboveMinor.map(amount.callAsFunction))
            case .weight(let bands):
                Method(id: method.id.lowercased, name: method.name, type: "weight", price: nil,
                       bands: bands.map { Method.Band(upToGrams: $0.upToGrams, price: amount($0.priceMinor)) },
                       freeAbove: method.freeAboveMinor.map(amount.callAsFunction))
            }
        }
        createdAt = zone.createdAt
        updatedAt = zone.updatedAt
    }
}

struct TaxRateDTO: Encodable, Sendable {
    let id: String
    let country: String
    let region: String?
    let name: String
    let rate: Decimal
    let createdAt: Date
    let updatedAt: Date

    init(_ rate: TaxRate) {
        id = rate.id.lowercased
        country = rate.country
        region = rate.region
        name = rate.name
        self.rate = Decimal(rate.ratePPM) / 10_000
        createdAt = rate.createdAt
        updatedAt = rate.updatedAt
    }
}

struct DiscountDTO: Encodable, Sendable {
    let id: String
    let code: String?
    let name: String
    let type: String
    let value: Decimal
    let appliesTo: String
    let productIds: [String]?
    let categoryIds: [String]?
    let minimumSubtotal: Decimal
    let startsAt: Date?
    let endsAt: Date?
    let usageLimit: Int?
    let perCustomerLimit: Int?
    let usedCount: Int
    let active: Bool
    let createdAt: Date
    let updatedAt: Date

    init(_ discount: Discount, currency: String) {
        let amount = Amounts(currency: currency)
        id = discount.id.lowercased
        code = discount.code
        name = discount.name
        switch discount.value {
        case .percentage(let ppm): (type, value) = ("percentage", Decimal(ppm) / 10_000)
        case .fixed(let minor): (type, value) = ("fixed", amount(minor))
        }
        switch discount.target {
        case .order: (appliesTo, productIds, categoryIds) = ("order", nil, nil)
        case .products(let ids): (appliesTo, productIds, categoryIds) = ("products", ids.map(\.lowercased), nil)
        case .categories(let ids): (appliesTo, productIds, categoryIds) = ("categories", nil, ids.map(\.lowercased))
        }
        minimumSubtotal = amount(discount.minimumSubtotalMinor)
        startsAt = discount.startsAt
        endsAt = discount.endsAt
        usageLimit = discount.usageLimit
        perCustomerLimit = discount.perCustomerLimit
        usedCount = discount.usedCount
        active = discount.active
        createdAt = discount.createdAt
        updatedAt = discount.updatedAt
    }
}
