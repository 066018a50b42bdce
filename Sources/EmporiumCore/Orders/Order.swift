import Foundation

/// The order lifecycle of DESIGN.md §6:
/// `pending → paid → fulfilled → shipped → delivered`, `pending|paid → cancelled`,
/// `paid|fulfilled|shipped|delivered → refunded`.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case pending, paid, fulfilled, shipped, delivered, cancelled, refunded
}

/// What can be done to an order, one per `POST /orders/{id}/<action>` route.
public enum OrderAction: String, Sendable, CaseIterable {
    case pay, fulfill, ship, deliver, cancel, refund

    /// The state this action leads to from `status`, or nil when the transition is not allowed.
    public func target(from status: OrderStatus) -> OrderStatus? {
        switch (self, status) {
        case (.pay, .pending): return .paid
        case (.fulfill, .paid): return .fulfilled
        case (.ship, .fulfilled): return .shipped
        case (.deliver, .shipped): return .delivered
        case (.cancel, .pending), (.cancel, .paid): return .cancelled
        case (.refund, .paid), (.refund, .fulfilled), (.refund, .shipped), (.refund, .delivered): return .refunded
        default: return nil
        }
    }
}

public struct OrderLine: Sendable, Equatable {
    public var productID: UUID
    /// The variant bought; nil only for a line whose product vanished before variants existed.
    public var variantID: UUID?
    /// The variant's SKU when ordered.
    public var sku: String
    /// The product's name when ordered.
    public var name: String
    /// The variant's option values when ordered; empty for a default variant.
    public var options: [VariantOption]
    public var quantity: Int
    /// The price when the order was placed; later price changes never touch it.
    public var unitPriceMinor: Int
    /// The line's share of the order's discounts.
    public var discountMinor: Int
    /// The tax of the line (contained in it when the shop's prices include tax).
    public var taxMinor: Int

    public init(productID: UUID, variantID: UUID?, sku: String, name: String, options: [VariantOption] = [], quantity: Int, unitPriceMinor: Int,
                discountMinor: Int = 0, taxMinor: Int = 0) {
        self.productID = productID
        self.variantID = variantID
        self.sku = sku
        self.name = name
        self.options = options
        self.quantity = quantity
        self.unitPriceMinor = unitPriceMinor
        self.discountMinor = discountMinor
        self.taxMinor = taxMinor
    }

    /// quantity × unit price, before discounts.
    public var lineTotalMinor: Int { quantity.multipliedSaturated(by: unitPriceMinor) }

    /// "Tee — M / Red" on invoices and packing slips; the bare name without options.
    public var displayName: String {
        options.isEmpty ? name : "\(name) — \(options.title)"
    }
}

/// What checkout froze on an order besides its lines: where it goes, how, what was taken off and
/// which tax applied. Later edits to the address book, shipping zones, discounts or tax rates never
/// change it.
public struct OrderCheckout: Sendable, Equatable, Codable {
    public var shippingAddress: PostalAddress?
    public var billingAddress: PostalAddress?
    public var shipping: ShippingOption?
    public var discounts: [AppliedDiscount]
    public var taxLines: [TaxLine]

    public init(shippingAddress: PostalAddress? = nil, billingAddress: PostalAddress? = nil, shipping: ShippingOption? = nil,
                discounts: [AppliedDiscount] = [], taxLines: [TaxLine] = []) {
        self.shippingAddress = shippingAddress
        self.billingAddress = billingAddress
        self.shipping = shipping
        self.discounts = discounts
        self.taxLines = taxLines
    }

    public static let none = OrderCheckout()

    /// Orders placed before checkout pricing store `{}`: every field is optional on the way in.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shippingAddress = try container.decodeIfPresent(PostalAddress.self, forKey: .shippingAddress)
        billingAddress = try container.decodeIfPresent(PostalAddress.self, forKey: .billingAddress)
        shipping = try container.decodeIfPresent(ShippingOption.self, forKey: .shipping)
        discounts = try container.decodeIfPresent([AppliedDiscount].self, forKey: .discounts) ?? []
        taxLines = try container.decodeIfPresent([TaxLine].self, forKey: .taxLines) ?? []
    }
}

public struct OrderEvent: Sendable, Equatable {
    public var status: OrderStatus
    public var at: Date
    public var by: UUID?

    public init(status: OrderStatus, at: Date, by: UUID?) {
        self.status = status
        self.at = at
        self.by = by
    }
}

public struct Order: Sendable, Equatable, Identifiable {
    public var id: UUID
    /// Per-shop, increasing from 1001.
    public var number: Int
    public var status: OrderStatus
    public var customerID: UUID?
    public var paymentMethod: String
    public var currency: String
    public var lines: [OrderLine]
    public var history: [OrderEvent]
    public var totals: CheckoutTotals
    public var checkout: OrderCheckout
    /// Given when the order is paid: per shop, from 1, without gaps.
    public var invoiceNumber: Int?
    /// Set when a payment is started through the shop's provider (`POST /orders/{id}/payment`).
    public var paymentProvider: PaymentProviderKind?
    /// The provider's id of that payment (a Stripe PaymentIntent), which its webhooks name.
    public var paymentReference: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: UUID, number: Int, status: OrderStatus, customerID: UUID?, paymentMethod: String, currency: String,
                lines: [OrderLine], history: [OrderEvent], totals: CheckoutTotals? = nil, checkout: OrderCheckout = .none,
                invoiceNumber: Int? = nil, paymentProvider: PaymentProviderKind? = nil, paymentReference: String? = nil,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.number = number
        self.status = status
        self.customerID = customerID
        self.paymentMethod = paymentMethod
        self.currency = currency
        self.lines = lines
        self.history = history
        self.totals = totals ?? .plain(subtotalMinor: lines.reduce(0) { $0.addingSaturated($1.lineTotalMinor) })
        self.checkout = checkout
        self.invoiceNumber = invoiceNumber
        self.paymentProvider = paymentProvider
        self.paymentReference = paymentReference
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var subtotalMinor: Int { totals.subtotalMinor }
    /// What the customer pays: goods after discounts, shipping and (when prices exclude it) tax.
    public var totalMinor: Int { totals.totalMinor }

    /// Its money is held by Stripe: only Stripe's verified events pay it, and refunds go through Stripe.
    public var isPaidThroughStripe: Bool { paymentProvider == .stripe }

    public var auditValues: JSONValue {
        .object(["number": .number(Double(number)), "status": .string(status.rawValue), "totalMinor": .number(Double(totalMinor))])
    }
}

/// A line of the signed-in user's cart, priced at today's price.
/// A line of a cart or quote: a variant of a product, priced at the variant's current price.
public struct CartLine: Sendable, Equatable {
    public var product: Product
    public var variant: ProductVariant
    public var quantity: Int

    public init(product: Product, variant: ProductVariant, quantity: Int) {
        self.product = product
        self.variant = variant
        self.quantity = quantity
    }

    public var lineTotalMinor: Int { variant.priceMinor.multipliedSaturated(by: quantity) }

    /// What checkout prices: the variant's price and weight, the product's category for discounts.
    var pricing: PricingLine {
        PricingLine(productID: product.id, categoryID: product.categoryID, quantity: quantity, unitPriceMinor: variant.priceMinor,
                    gramsEach: variant.weightGrams)
    }
}
