import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `orders`. Its lines and status history are rows of `order_items` and
/// `order_status_history`, read with it through the associations (`OrderInfo`).
struct OrderRecord: StoredRecord {
    static let databaseTableName = "orders"
    static let lines = hasMany(OrderLineRecord.self, key: "lines")
    static let history = hasMany(OrderEventRecord.self, key: "history")

    var id: UUID
    var number: Int
    var status: OrderStatus
    var customerID: UUID?
    var paymentMethod: String
    var currency: String
    var subtotalMinor: Int
    var discountMinor: Int
    var shippingMinor: Int
    var taxMinor: Int
    var totalMinor: Int
    var pricesIncludeTax: Bool
    var checkout: OrderCheckout
    var invoiceNumber: Int?
    var paymentProvider: PaymentProviderKind?
    var paymentReference: String?
    /// The buyer's `Idempotency-Key` and the hash of the request that used it first.
    var idempotencyKey: String?
    var requestHash: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, number, status, currency, checkout
        case customerID = "customer_id", paymentMethod = "payment_method", subtotalMinor = "subtotal_minor", discountMinor = "discount_minor"
        case shippingMinor = "shipping_minor", taxMinor = "tax_minor", totalMinor = "total_minor", pricesIncludeTax = "prices_include_tax"
        case invoiceNumber = "invoice_number", paymentProvider = "payment_provider", paymentReference = "payment_reference"
        case idempotencyKey = "idempotency_key", requestHash = "request_hash", createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let number = Column(CodingKeys.number)
        static let status = Column(CodingKeys.status)
        static let customerID = Column(CodingKeys.customerID)
        static let paymentProvider = Column(CodingKeys.paymentProvider)
        static let paymentReference = Column(CodingKeys.paymentReference)
        static let idempotencyKey = Column(CodingKeys.idempotencyKey)
        static let requestHash = Column(CodingKeys.requestHash)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(_ order: Order, idempotency: (key: String, requestHash: String)?) {
        (id, number, status, customerID, paymentMethod, currency) = (order.id, order.number, order.status, order.customerID, order.paymentMethod,
                                                                     order.currency)
        let totals = order.totals
        (subtotalMinor, discountMinor, shippingMinor, taxMinor, totalMinor, pricesIncludeTax) =
            (totals.subtotalMinor, totals.discountMinor, totals.shippingMinor, totals.taxMinor, totals.totalMinor, totals.pricesIncludeTax)
        (checkout, invoiceNumber, paymentProvider, paymentReference) = (order.checkout, order.invoiceNumber, order.paymentProvider, order.paymentReference)
        (idempotencyKey, requestHash, createdAt, updatedAt) = (idempotency?.key, idempotency?.requestHash, order.createdAt, order.updatedAt)
    }
}

/// A row of `order_items`: one line of an order, numbered from 1.
struct OrderLineRecord: StoredRecord {
    static let databaseTableName = "order_items"

    var orderID: UUID
    var line: Int
    var productID: UUID
    var variantID: UUID?
    var sku: String
    var name: String
    var options: [VariantOption]
    var quantity: Int
    var unitPriceMinor: Int
    var lineTotalMinor: Int
    var discountMinor: Int
    var taxMinor: Int

    enum CodingKeys: String, CodingKey {
        case line, sku, name, options, quantity
        case orderID = "order_id", productID = "product_id", variantID = "variant_id", unitPriceMinor = "unit_price_minor"
        case lineTotalMinor = "line_total_minor", discountMinor = "discount_minor", taxMinor = "tax_minor"
    }

    init(_ line: OrderLine, number: Int, of orderID: UUID) {
        (self.orderID, self.line, productID, variantID, sku, name, options) = (orderID, number, line.productID, line.variantID, line.sku, line.name,
                                                                              line.options)
        (quantity, unitPriceMinor, lineTotalMinor, discountMinor, taxMinor) = (line.quantity, line.unitPriceMinor, line.lineTotalMinor,
                                                                               line.discountMinor, line.taxMinor)
    }

    var orderLine: OrderLine {
        OrderLine(productID: productID, variantID: variantID, sku: sku, name: name, options: options, quantity: quantity,
                  unitPriceMinor: unitPriceMinor, discountMinor: discountMinor, taxMinor: taxMinor)
    }
}

/// A row of `order_status_history`: one status an order reached, numbered from 1.
struct OrderEventRecord: StoredRecord {
    static let databaseTableName = "order_status_history"

    var orderID: UUID
    var seq: Int
    var status: OrderStatus
    var at: Date
    var byUserID: UUID?

    enum CodingKeys: String, CodingKey {
        case seq, status, at
        case orderID = "order_id", byUserID = "by_user_id"
    }

    enum Columns {
        static let orderID = Column(CodingKeys.orderID)
        static let seq = Column(CodingKeys.seq)
    }

    init(_ event: OrderEvent, seq: Int, of orderID: UUID) {
        (self.orderID, self.seq, status, at, byUserID) = (orderID, seq, event.status, event.at, event.by)
    }

    var event: OrderEvent { OrderEvent(status: status, at: at, by: byUserID) }
}

/// An order with its lines and history: a page of orders costs three queries (the orders, then
/// all their lines, then all their events), not one per order.
struct OrderInfo: Decodable, FetchableRecord {
    var order: OrderRecord
    var lines: [OrderLineRecord]
    var history: [OrderEventRecord]

    static func request(_ orders: QueryInterfaceRequest<OrderRecord>) -> QueryInterfaceRequest<OrderInfo> {
        orders.including(all: OrderRecord.lines.order(Column("line")))
            .including(all: OrderRecord.history.order(OrderEventRecord.Columns.seq))
            .asRequest(of: OrderInfo.self)
    }

    var domain: Order {
        let totals = CheckoutTotals(subtotalMinor: order.subtotalMinor, discountMinor: order.discountMinor, shippingMinor: order.shippingMinor,
                                    taxMinor: order.taxMinor, totalMinor: order.totalMinor, pricesIncludeTax: order.pricesIncludeTax)
        return Order(id: order.id, number: order.number, status: order.status, customerID: order.customerID, paymentMethod: order.paymentMethod,
                     currency: order.currency, lines: lines.map(\.orderLine), history: history.map(\.event), totals: totals,
                     checkout: order.checkout, invoiceNumber: order.invoiceNumber, paymentProvider: order.paymentProvider,
                     paymentReference: order.paymentReference, createdAt: order.createdAt, updatedAt: order.updatedAt)
    }
}
