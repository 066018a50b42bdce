import Foundation

/// A change to a shop's revenue: an order paid (`+amount`) or a paid order refunded or cancelled
/// (`−amount`), at the moment it happened.
public struct RevenueEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case sale, reversal }

    public var orderID: UUID
    public var customerID: UUID?
    public var kind: Kind
    public var amountMinor: Int
    public var at: Date

    public init(orderID: UUID, customerID: UUID?, kind: Kind, amountMinor: Int, at: Date) {
        self.orderID = orderID
        self.customerID = customerID
        self.kind = kind
        self.amountMinor = amountMinor
        self.at = at
    }
}

/// Units and revenue of one product over a period.
public struct ProductSales: Sendable, Equatable {
    public var productID: UUID
    public var name: String
    public var units: Int
    public var revenueMinor: Int

    public init(productID: UUID, name: String, units: Int, revenueMinor: Int) {
        self.productID = productID
        self.name = name
        self.units = units
        self.revenueMinor = revenueMinor
    }
}

/// One line of the sales report: an order line of an order paid in the range.
public struct SalesLine: Sendable, Equatable {
    public var orderID: UUID
    public var orderNumber: Int
    public var status: OrderStatus
    public var customerID: UUID?
    public var customerEmail: String?
    public var paymentMethod: String
    public var currency: String
    public var placedAt: Date
    public var paidAt: Date
    public var line: Int
    public var productID: UUID
    public var sku: String
    public var name: String
    public var quantity: Int
    public var unitPriceMinor: Int
    public var lineTotalMinor: Int
    /// The variant sold and its option values ("M / Red"); nil and empty for lines older than variants.
    public var variantID: UUID?
    public var variantTitle: String

    public init(orderID: UUID, orderNumber: Int, status: OrderStatus, customerID: UUID?, customerEmail: String?, paymentMethod: String,
                currency: String, placedAt: Date, paidAt: Date, line: Int, productID: UUID, sku: String, name: String, quantity: Int,
                unitPriceMinor: Int, lineTotalMinor: Int, variantID: UUID? = nil, variantTitle: String = "") {
        self.orderID = orderID
        self.orderNumber = orderNumber
        self.status = status
        self.customerID = customerID
        self.customerEmail = customerEmail
        self.paymentMethod = paymentMethod
        self.currency = currency
        self.placedAt = placedAt
        self.paidAt = paidAt
        self.line = line
        self.productID = productID
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPriceMinor = unitPriceMinor
        self.lineTotalMinor = lineTotalMinor
        self.variantID = variantID
        self.variantTitle = variantTitle
    }

    /// Where the next page of the report starts: lines are ordered by paid time, order id, line.
    public var cursor: SalesCursor { SalesCursor(paidAt: paidAt, orderID: orderID, line: line) }
}

public struct SalesCursor: Sendable, Equatable {
    public var paidAt: Date
    public var orderID: UUID
    public var line: Int
}

/// The facts analytics are computed from, read inside one shop's transaction.
public protocol SalesRepository {
    /// Payments, and refunds or cancellations of paid orders, with `from <= at < to`.
    func revenueEvents(from: Date, to: Date) throws -> [RevenueEvent]
    /// Products of orders paid in `from ..< to` that are still standing (not refunded or
    /// cancelled since), most units first, at most `limit`.
    func topProducts(from: Date, to: Date, limit: Int) throws -> [ProductSales]
    /// When each of these customers first paid for an order, ever.
    func firstPayment(of customers: Set<UUID>) throws -> [UUID: Date]
    /// Up to `limit` report lines of orders paid in `from ..< to`, after `cursor` when given.
    func salesLines(from: Date, to: Date, after cursor: SalesCursor?, limit: Int) throws -> [SalesLine]
}
