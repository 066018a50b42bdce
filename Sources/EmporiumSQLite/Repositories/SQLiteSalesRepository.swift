import EmporiumCore
import Foundation
import GRDB

/// Analytics facts from the order tables. Times are compared as GRDB stores them (UTC text of
/// fixed width), so range conditions use the `(status, at)` index.
struct SQLiteSalesRepository: SalesRepository {
    let db: Database

    func revenueEvents(from: Date, to: Date) throws -> [RevenueEvent] {
        // A cancellation only takes money back when the order had been paid.
        try Row.fetchAll(db, sql: """
            SELECT h.order_id, h.status, h.at, o.customer_id, o.total_minor
            FROM order_status_history h JOIN orders o ON o.id = h.order_id
            WHERE h.status IN ('paid', 'refunded', 'cancelled') AND h.at >= ? AND h.at < ?
              AND (h.status <> 'cancelled'
                   OR EXISTS (SELECT 1 FROM order_status_history p WHERE p.order_id = h.order_id AND p.status = 'paid'))
            """, arguments: [from, to]).compactMap { row in
            let orderID: String = row["order_id"], status: String = row["status"], customer: String? = row["customer_id"]
            guard let id = UUID(uuidString: orderID) else { return nil }
            return RevenueEvent(orderID: id, customerID: customer.flatMap(UUID.init(uuidString:)), kind: status == "paid" ? .sale : .reversal,
                                amountMinor: row["total_minor"], at: row["at"])
        }
    }

    func topProducts(from: Date, to: Date, limit: Int) throws -> [ProductSales] {
        try Row.fetchAll(db, sql: """
            SELECT i.product_id, coalesce(p.name, max(i.name)) AS name, sum(i.quantity) AS units, sum(i.line_total_minor) AS revenue
            FROM order_status_history h
            JOIN orders o ON o.id = h.order_id
            JOIN order_items i ON i.order_id = h.order_id
            LEFT JOIN products p ON p.id = i.product_id
            WHERE h.status = 'paid' AND h.at >= ? AND h.at < ? AND o.status NOT IN ('refunded', 'cancelled')
            GROUP BY i.product_id
            ORDER BY units DESC, revenue DESC, i.product_id
            LIMIT ?
            """, arguments: [from, to, limit]).compactMap { row in
            let id: String = row["product_id"]
            guard let productID = UUID(uuidString: id) else { return nil }
            return ProductSales(productID: productID, name: row["name"], units: row["units"], revenueMinor: row["revenue"])
        }
    }

    func firstPayment(of customers: Set<UUID>) throws -> [UUID: Date] {
        guard !customers.isEmpty else { return [:] }
        var result: [UUID: Date] = [:]
        // In slices, to stay far below SQLite's limit on bound parameters.
        let ids = customers.map(\.lowercased)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let slice = Array(ids[start..<min(start + 500, ids.count)])
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: """
                SELECT o.customer_id, min(h.at) AS first
                FROM orders o JOIN order_status_history h ON h.order_id = o.id AND h.status = 'paid'
                WHERE o.customer_id IN (\(marks))
                GROUP BY o.customer_id
                """, arguments: StatementArguments(slice)) {
                let customer: String = row["customer_id"]
                if let id = UUID(uuidString: customer) { result[id] = row["first"] }
            }
        }
        return result
    }

    func salesLines(from: Date, to: Date, after cursor: SalesCursor?, limit: Int) throws -> [SalesLine] {
        // Resuming starts the index range at the cursor's time, so each chunk reads only its own
        // rows instead of sorting everything before it again.
        var arguments: StatementArguments = [max(from, cursor?.paidAt ?? from), to]
        var resume = ""
        if let cursor {
            resume = "AND (h.at > ? OR (h.at = ? AND (o.id > ? OR (o.id = ? AND i.line > ?))))"
            let order = cursor.orderID.lowercased
            arguments += [cursor.paidAt, cursor.paidAt, order, order, cursor.line]
        }
        arguments += [limit]
        return try Row.fetchAll(db, sql: """
            SELECT h.at AS paid_at, o.id, o.number, o.status, o.customer_id, u.email, o.payment_method, o.currency, o.created_at,
                   i.line, i.product_id, i.sku, i.name, i.quantity, i.unit_price_minor, i.line_total_minor, i.variant_id, i.options
            FROM order_status_history h
            JOIN orders o ON o.id = h.order_id
            JOIN order_items i ON i.order_id = o.id
            LEFT JOIN users u ON u.id = o.customer_id
            WHERE h.status = 'paid' AND h.at >= ? AND h.at < ? \(resume)
            ORDER BY h.at, o.id, i.line
            LIMIT ?
            """, arguments: arguments).compactMap { row in
            let id: String = row["id"], status: String = row["status"], customer: String? = row["customer_id"], product: String = row["product_id"]
            guard let orderID = UUID(uuidString: id), let status = OrderStatus(rawValue: status), let productID = UUID(uuidString: product) else {
                return nil
            }
            return SalesLine(orderID: orderID, orderNumber: row["number"], status: status, customerID: customer.flatMap(UUID.init(uuidString:)),
                             customerEmail: row["email"], paymentMethod: row["payment_method"], currency: row["currency"],
                             placedAt: row["created_at"], paidAt: row["paid_at"], line: row["line"], productID: productID, sku: row["sku"],
                             name: row["name"], quantity: row["quantity"], unitPriceMinor: row["unit_price_minor"],
                             lineTotalMinor: row["line_total_minor"], variantID: (row["variant_id"] as String?).flatMap(UUID.init(uuidString:)),
                             variantTitle: try SQLiteCatalogRepository.options(row["options"]).title)
        }
    }
}
