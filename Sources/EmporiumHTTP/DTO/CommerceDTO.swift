import EmporiumCore
import Foundation

struct CategoryDTO: Encodable, Sendable {
    let id: String
    let name: String
    let slug: String
    @NullWhenAbsent var parentId: String?
    @NullWhenAbsent var seoTitle: String?
    @NullWhenAbsent var seoDescription: String?

    init(_ category: Category) {
        self.id = category.id.lowercased
        self.name = category.name
        self.slug = category.slug
        self.parentId = category.parentID?.lowercased
        self.seoTitle = category.seo.title
        self.seoDescription = category.seo.description
    }
}

/// A product in the list shape of the original spec (plus sku, slug, description, images, and
/// `media`: the pictures uploaded to the shop).
struct ProductDTO: Encodable, Sendable {
    struct CategoryRef: Encodable, Sendable {
        let id: String
        let name: String
    }

    struct Inventory: Encodable, Sendable {
        let stock: Int
        let reserved: Int
        let available: Int
        let lowStockThreshold: Int
    }

    struct Metrics: Encodable, Sendable {
        let views: Int
        let sales: Int
        let conversionRate: Decimal
    }

    let id: String
    let sku: String
    let name: String
    let slug: String
    let description: String
    @NullWhenAbsent var seoTitle: String?
    @NullWhenAbsent var seoDescription: String?
    let price: Decimal
    let currency: String
    let status: String
    @NullWhenAbsent var category: CategoryRef?
    let images: [String]
    let media: [ImageDTO]
    let attributes: [String: JSONValue]
    let inventory: Inventory
    let weightGrams: Int
    let metrics: Metrics
    let options: [OptionDTO]
    let variants: [VariantDTO]
    let createdAt: Date
    let updatedAt: Date

    init(_ product: Product, currency: String, links: MediaLinks) {
        self.id = product.id.lowercased
        self.sku = product.sku
        self.name = product.name
        self.slug = product.slug
        self.description = product.description
        self.seoTitle = product.seo.title
        self.seoDescription = product.seo.description
        self.price = Money.amount(product.priceMinor, exponent: Currency.exponent(currency))
        self.weightGrams = product.weightGrams
        self.currency = currency
        self.status = product.status.rawValue
        self.category = product.categoryID.map { CategoryRef(id: $0.lowercased, name: product.categoryName ?? "") }
        self.images = product.images
        self.media = product.media.map { ImageDTO($0, links: links) }
        self.attributes = product.attributes
        self.inventory = Inventory(stock: product.stock, reserved: product.reserved, available: product.available,
                                   lowStockThreshold: product.lowStockThreshold)
        self.metrics = Metrics(views: product.views, sales: product.sales, conversionRate: product.conversionRate)
        self.options = product.options.map { OptionDTO(name: $0.name, values: $0.values) }
        self.variants = product.variants.map { VariantDTO($0, currency: currency) }
        self.createdAt = product.createdAt
        self.updatedAt = product.updatedAt
    }
}

/// An option of a product and the values its variants use: `{"name": "Size", "values": ["S", "M"]}`.
struct OptionDTO: Encodable, Sendable {
    let name: String
    let values: [String]
}

/// A variant: what the cart and orders name by `variantId`.
struct VariantDTO: Encodable, Sendable {
    struct Inventory: Encodable, Sendable {
        let stock: Int
        let reserved: Int
        let available: Int
    }

    let id: String
    let sku: String
    let title: String
    let options: [VariantOption]
    let price: Decimal
    let weightGrams: Int
    let attributes: [String: JSONValue]
    let inventory: Inventory
    let sales: Int
    let position: Int

    init(_ variant: ProductVariant, currency: String) {
        self.id = variant.id.lowercased
        self.sku = variant.sku
        self.title = variant.title
        self.options = variant.options
        self.price = Money.amount(variant.priceMinor, exponent: Currency.exponent(currency))
        self.weightGrams = variant.weightGrams
        self.attributes = variant.attributes
        self.inventory = Inventory(stock: variant.stock, reserved: variant.reserved, available: variant.available)
        self.sales = variant.sales
        self.position = variant.position
    }
}

/// `GET /products`: exactly the original spec's shape.
struct ProductListDTO: Encodable, Sendable {
    struct Filters: Encodable, Sendable {
        struct PriceRange: Encodable, Sendable {
            let min: Decimal
            let max: Decimal
        }

        let categories: [String]
        @NullWhenAbsent var priceRange: PriceRange?
    }

    let products: [ProductDTO]
    let pagination: Pagination
    let filters: Filters
    /// Only for a search that found nothing, when the shop's words offer a correction.
    let suggestion: String?

    init(_ listing: ProductListing, page: Page, currency: String, links: MediaLinks) {
        self.products = listing.products.map { ProductDTO($0, currency: currency, links: links) }
        self.pagination = Pagination(page, total: listing.total)
        self.suggestion = listing.suggestion
        self.filters = Filters(
            categories: listing.categoryNames,
            priceRange: listing.priceRange.map {
                .init(min: Money.amount($0.min, exponent: Currency.exponent(currency)), max: Money.amount($0.max, exponent: Currency.exponent(currency)))
            }
        )
    }
}

struct LineDTO: Encodable, Sendable {
    let productId: String
    /// Absent only on order lines of products that were gone before variants existed.
    let variantId: String?
    let sku: String
    let name: String
    /// The variant's option values, e.g. Size M; empty for a product without options.
    let options: [VariantOption]
    let quantity: Int
    let unitPrice: Decimal
    let lineTotal: Decimal
    /// Orders only: the line's share of the discounts, and its tax.
    var discount: Decimal?
    var tax: Decimal?
}

struct CartDTO: Encodable, Sendable {
    let items: [LineDTO]
    let subtotal: Decimal
    let currency: String

    init(_ lines: [CartLine], currency: String) {
        let amount = Amounts(currency: currency)
        self.items = lines.map {
            LineDTO(productId: $0.product.id.lowercased, variantId: $0.variant.id.lowercased, sku: $0.variant.sku, name: $0.product.name,
                    options: $0.variant.options, quantity: $0.quantity, unitPrice: amount($0.variant.priceMinor), lineTotal: amount($0.lineTotalMinor))
        }
        self.subtotal = amount(lines.reduce(0) { $0.addingSaturated($1.lineTotalMinor) })
        self.currency = currency
    }
}

struct OrderDTO: Encodable, Sendable {
    struct Event: Encodable, Sendable {
        let status: String
        let at: Date
        @NullWhenAbsent var by: String?
    }

    let id: String
    let number: Int
    let status: String
    let items: [LineDTO]
    let subtotal: Decimal
    let total: Decimal
    let totals: TotalsDTO
    let shippingAddress: PostalAddress?
    let billingAddress: PostalAddress?
    let shippingMethod: ShippingOptionDTO?
    let discounts: [AppliedDiscountDTO]
    let taxLines: [TaxLineDTO]
    let invoiceNumber: Int?
    let currency: String
    /// `null` once the customer was erased (or for an order placed without an account).
    @NullWhenAbsent var customerId: String?
    let paymentMethod: String
    /// `manual` or `stripe` once a payment was started (`POST /orders/{id}/payment`).
    let paymentProvider: String?
    let history: [Event]
    let createdAt: Date
    let updatedAt: Date

    init(_ order: Order) {
        self.id = order.id.lowercased
        self.number = order.number
        self.status = order.status.rawValue
        let amount = Amounts(currency: order.currency)
        self.items = order.lines.map {
            LineDTO(productId: $0.productID.lowercased, variantId: $0.variantID?.lowercased, sku: $0.sku, name: $0.name, options: $0.options,
                    quantity: $0.quantity,
                    unitPrice: amount($0.unitPriceMinor), lineTotal: amount($0.lineTotalMinor), discount: amount($0.discountMinor), tax: amount($0.taxMinor))
        }
        self.subtotal = amount(order.subtotalMinor)
        self.total = amount(order.totalMinor)
        self.totals = TotalsDTO(order.totals, amount)
        self.shippingAddress = order.checkout.shippingAddress
        self.billingAddress = order.checkout.billingAddress
        self.shippingMethod = order.checkout.shipping.map { ShippingOptionDTO($0, amount) }
        self.discounts = order.checkout.discounts.map { AppliedDiscountDTO($0, amount) }
        self.taxLines = order.checkout.taxLines.map { TaxLineDTO($0, amount) }
        self.invoiceNumber = order.invoiceNumber
        self.currency = order.currency
        self.customerId = order.customerID?.lowercased
        self.paymentMethod = order.paymentMethod
        self.paymentProvider = order.paymentProvider?.rawValue
        self.history = order.history.map { Event(status: $0.status.rawValue, at: $0.at, by: $0.by?.lowercased) }
        self.createdAt = order.createdAt
        self.updatedAt = order.updatedAt
    }
}
