import EmporiumCore
import Foundation
import GRDB

/// Analytics facts from the order tables. Times are compared as GRDB stores them (UTC text of
/// fixed width), so range conditions use the `(status, at)` index.
struct SQLiteSalesRepository: SalesRepository {
    let db: Database

    func revenueEvents(from: Date, to: Date) throws -> [RevenueEvent] {
        // A cancellation only takes money back when the order had been paid.
        try RevenueRow.fetchAll(db, sql: """
            SELECT h.order_id, h.status, h.at, o.customer_id, o.total_minor
            FROM order_status_history h JOIN orders o ON o.id = h.order_id
            WHERE h.status IN ('paid', 'refunded', 'cancelled') AND h.at >= ? AND h.at < ?
              AND (h.status <> 'cancelled'
                   OR EXISTS (SELECT 1 FROM order_status_history p WHERE p.order_id = h.order_id AND p.status = 'paid'))
            """, arguments: [from.sqlText, to.sqlText]).map(\.event)
    }

    func topProducts(from: Date, to: Date, limit: Int) throws -> [ProductSales] {
        try ProductSalesRow.fetchAll(db, sql: """
            SELECT i.product_id, coalesce(p.name, max(i.name)) AS name, sum(i.quantity) AS units, sum(i.line_total_minor) AS revenue
            FROM order_status_history h
            JOIN orders o ON o.id = h.order_id
            JOIN order_items i ON i.order_id = h.order_id
            LEFT JOIN products p ON p.id = i.product_id
            WHERE h.status = 'paid' AND h.at >= ? AND h.at < ? AND o.status NOT IN ('refunded', 'cancelled')
            GROUP BY i.product_id
            ORDER BY units DESC, revenue DESC, i.product_id
            LIMIT ?
            """, arguments: [from.sqlText, to.sqlText, limit]).map(\.sales)
    }

    func firstPayment(of customers: Set<UUID>) throws -> [UUID: Date] {
        guard !customers.isEmpty else { return [:] }
        var result: [UUID: Date] = [:]
        // In slices, to stay far below SQLite's limit on bound parameters.
        let ids = customers.map(\.lowercased)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[start..<min(start + 500, ids.count)])
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            for row in try FirstPaymentRow.fetchAll(db, sql: """
                SELECT o.customer_id, min(h.at) AS first
                FROM orders o JOIN order_status_history h ON h.order_id = o.id AND h.status = 'paid'
                WHERE o.customer_id IN (\(marks))
                GROUP BY o.customer_id
                """, arguments: StatementArguments(slice)) {
                result[row.customerID] = row.first
            }
        }
        return result
    }

    func salesLines(from: Date, to: Date, after cursor: SalesCursor?, limit: Int) throws -> [SalesLine] {
        // Resuming starts the index range at the cursor's time, so each chunk reads only its own
        // rows instead of sorting everything before it again.
        var arguments: StatementArguments = [max(from, cursor?.paidAt ?? from).sqlText, to.sqlText]
        var resume = ""
        if let cursor {
            resume = "AND (h.at > ? OR (h.at = ? AND (o.id > ? OR (o.id = ? AND i.line > ?))))"
            let order = cursor.orderID.lowercased
            arguments += [cursor.paidAt.sqlText, cursor.paidAt.sqlText, order, order, cursor.line]
        }
        arguments += [limit]
        return try SalesLineRow.fetchAll(db, sql: """
            SELECT h.at AS paid_at, o.id, o.number, o.status, o.customer_id, u.email, o.payment_method, o.currency, o.created_at,
                   i.line, i.product_id, i.sku, i.name, i.quantity, i.unit_price_minor, i.line_total_minor, i.variant_id, i.options
            FROM order_status_history h
            JOIN orders o ON o.id = h.order_id
            JOIN order_items i ON i.order_id = o.id
            LEFT JOIN users u ON u.id = o.customer_id
            WHERE h.status = 'paid' AND h.at >= ? AND h.at < ? \(resume)
            ORDER BY h.at, o.id, i.line
            LIMIT ?
            """, arguments: arguments).map(\.salesLine)
    }
}

/// The rows the analytics statements read, decoded like the tables' records: an id or status
/// that does not decode fails the report instead of dropping the row.
extension SQLiteSalesRepository {
    struct RevenueRow: Decodable, FetchableRecord {
        var orderID: UUID
        var status: OrderStatus
        var at: Date
        var customerID: UUID?
        var totalMinor: Int

        enum CodingKeys: String, CodingKey {
            case status, at
            case orderID = "order_id", customerID = "customer_id", totalMinor = "total_minor"
        }

        var event: RevenueEvent {
            RevenueEvent(orderID: orderID, customerID: customerID, kind: status == .paid ? .sale : .reversal, amountMinor: totalMinor, at: at)
        }
    }

    struct ProductSalesRow: Decodable, FetchableRecord {
        var productID: UUID
        var name: String
        var units: Int
        var revenue: Int

        enum CodingKeys: String, CodingKey {
            case name, units, revenue
            case productID = "product_id"
        }

        var sales: ProductSales { ProductSales(productID: productID, name: name, units: units, revenueMinor: revenue) }
    }

    struct FirstPaymentRow: Decodable, FetchableRecord {
        var customerID: UUID
        var first: Date

        enum CodingKeys: String, CodingKey {
            case first
            case customerID = "customer_id"
        }
    }

    struct SalesLineRow: Decodable, FetchableRecord {
        var paidAt: Date
        var id: UUID
        var number: Int
        var status: OrderStatus
        var customerID: UUID?
        var email: String?
        var paymentMethod: String
        var currency: String
        var createdAt: Date
        var line: Int
        var productID: UUID
        var sku: String
        var name: String
        var quantity: Int
        var unitPriceMinor: Int
        var lineTotalMinor: Int
        var variantID: UUID?
        var options: [VariantOption]

        enum CodingKeys: String, CodingKey {
            case id, number, status, email, currency, line, sku, name, quantity, options
            case paidAt = "paid_at", customerID = "customer_id", paymentMethod = "payment_method", createdAt = "created_at"
            case productID = "product_id", unitPriceMinor = "unit_price_minor", lineTotalMinor = "line_total_minor", variantID = "variant_id"
        }

        var salesLine: SalesLine {
            SalesLine(orderID: id, orderNumber: number, status: status, customerID: customerID, customerEmail: email, paymentMethod: paymentMethod,
                      currency: currency, placedAt: createdAt, paidAt: paidAt, line: line, productID: productID, sku: sku, name: name,
                      quantity: quantity, unitPriceMinor: unitPriceMinor, lineTotalMinor: lineTotalMinor, variantID: variantID,
                      variantTitle: options.title)
        }
    }
}
