import EmporiumCore
import Foundation
import GRDB

struct SQLiteOrderRepository: OrderRepository {
    let db: Database

    func nextNumber() throws -> Int {
        (try Int.fetchOne(db.cachedStatement(sql: "SELECT max(number) FROM orders")) ?? 1000) + 1
    }

    func insert(_ order: Order, idempotency: (key: String, requestHash: String)?) throws {
        try db.executeCached(
            sql: """
                INSERT INTO orders (id, number, status, customer_id, payment_method, currency, subtotal_minor, total_minor, idempotency_key,
                                    request_hash, created_at, updated_at, discount_minor, shipping_minor, tax_minor, prices_include_tax,
                                    checkout, invoice_number)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [order.id.lowercased, order.number, order.status.rawValue, order.customerID?.lowercased, order.paymentMethod,
                        order.currency, order.subtotalMinor, order.totalMinor, idempotency?.key, idempotency?.requestHash,
                        order.createdAt.sqlText, order.updatedAt.sqlText, order.totals.discountMinor, order.totals.shippingMinor,
                        order.totals.taxMinor, order.totals.pricesIncludeTax, try JSONColumn.text(order.checkout), order.invoiceNumber]
        )
        for (index, line) in order.lines.enumerated() {
            try db.executeCached(
                sql: """
                    INSERT INTO order_items (order_id, line, product_id, variant_id, sku, name, options, quantity, unit_price_minor,
                                             line_total_minor, discount_minor, tax_minor)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [order.id.lowercased, index + 1, line.productID.lowercased, line.variantID?.lowercased, line.sku, line.name,
                            line.options.isEmpty ? "[]" : try SQLiteCatalogRepository.json(line.options), line.quantity,
                            line.unitPriceMinor, line.lineTotalMinor, line.discountMinor, line.taxMinor]
            )
        }
        for (index, event) in order.history.enumerated() {
            try insert(event, seq: index + 1, orderID: order.id)
        }
    }

    func order(id: UUID) throws -> Order? {
        try Row.fetchOne(db, sql: "SELECT * FROM orders WHERE id = ?", arguments: [id.lowercased]).map(decode)
    }

    func order(customerID: UUID, idempotencyKey: String) throws -> (order: Order, requestHash: String)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM orders WHERE customer_id = ? AND idempotency_key = ?"),
                                         arguments: [customerID.lowercased, idempotencyKey]) else { return nil }
        return (try decode(row), row["request_hash"] ?? "")
    }

    func update(status: OrderStatus, of orderID: UUID, event: OrderEvent) throws {
        try db.execute(sql: "UPDATE orders SET status = ?, updated_at = ? WHERE id = ?", arguments: [status.rawValue, event.at.sqlText, orderID.lowercased])
        let seq = (try Int.fetchOne(db, sql: "SELECT max(seq) FROM order_status_history WHERE order_id = ?", arguments: [orderID.lowercased]) ?? 0) + 1
        try insert(event, seq: seq, orderID: orderID)
    }

    func list(_ filter: OrderFilter, page: Page) throws -> [Order] {
        let (condition, arguments) = Self.condition(filter)
        return try Row.fetchAll(db, sql: "SELECT * FROM orders \(condition) ORDER BY created_at DESC, number DESC LIMIT ? OFFSET ?",
                                arguments: arguments + [page.limit, page.offset]).map(decode)
    }

    func count(_ filter: OrderFilter) throws -> Int {
        let (condition, arguments) = Self.condition(filter)
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM orders \(condition)", arguments: arguments) ?? 0
    }

    func pendingOrders(before cutoff: Date, limit: Int) throws -> [Order] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM orders WHERE status = 'pending' AND created_at < ? ORDER BY created_at LIMIT ?"),
                         arguments: [cutoff.sqlText, limit]).map(decode)
    }

    func pendingCount(customerID: UUID, since: Date, limit: Int) throws -> Int {
        // `+status` keeps SQLite off the (status, created_at) index, which would walk every pending
        // order of the shop; (customer_id, created_at) walks only this customer's recent ones.
        try Int.fetchOne(db.cachedStatement(sql: Self.pendingCountSQL), arguments: [customerID.lowercased, since.sqlText, limit]) ?? 0
    }

    static let pendingCountSQL = """
        SELECT count(*) FROM (SELECT 1 FROM orders WHERE customer_id = ? AND created_at >= ? AND +status = 'pending' LIMIT ?)
        """

    func nextInvoiceNumber() throws -> Int {
        (try Int.fetchOne(db.cachedStatement(sql: "SELECT max(invoice_number) FROM orders")) ?? 0) + 1
    }

    func setInvoiceNumber(_ number: Int, of orderID: UUID) throws {
        try db.executeCached(sql: "UPDATE orders SET invoice_number = ? WHERE id = ? AND invoice_number IS NULL", arguments: [number, orderID.lowercased])
    }

    func setPayment(provider: PaymentProviderKind, reference: String?, of orderID: UUID) throws {
        try db.executeCached(sql: "UPDATE orders SET payment_provider = ?, payment_reference = ? WHERE id = ?",
                             arguments: [provider.rawValue, reference, orderID.lowercased])
    }

    func order(paymentReference: String) throws -> Order? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM orders WHERE payment_reference = ?"), arguments: [paymentReference]).map(decode)
    }

    private func insert(_ event: OrderEvent, seq: Int, orderID: UUID) throws {
        try db.executeCached(sql: "INSERT INTO order_status_history (order_id, seq, status, at, by_user_id) VALUES (?, ?, ?, ?, ?)",
                       arguments: [orderID.lowercased, seq, event.status.rawValue, event.at.sqlText, event.by?.lowercased])
    }

    static func condition(_ filter: OrderFilter) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let customer = filter.customerID { clauses.append("customer_id = ?"); arguments += [customer.lowercased] }
        if let status = filter.status { clauses.append("status = ?"); arguments += [status.rawValue] }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    private func decode(_ row: Row) throws -> Order {
        let id: String = row["id"], status: String = row["status"], customer: String? = row["customer_id"]
        guard let uuid = UUID(uuidString: id), let status = OrderStatus(rawValue: status) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed orders row")
        }
        let lines = try Row.fetchAll(db, sql: "SELECT * FROM order_items WHERE order_id = ? ORDER BY line", arguments: [id]).map { line in
            let product: String = line["product_id"], variant: String? = line["variant_id"], options: String = line["options"]
            return OrderLine(productID: UUID(uuidString: product) ?? UUID(), variantID: variant.flatMap(UUID.init(uuidString:)), sku: line["sku"],
                             name: line["name"], options: options == "[]" ? [] : try SQLiteCatalogRepository.options(options),
                             quantity: line["quantity"], unitPriceMinor: line["unit_price_minor"], discountMinor: line["discount_minor"],
                             taxMinor: line["tax_minor"])
        }
        let history = try Row.fetchAll(db, sql: "SELECT * FROM order_status_history WHERE order_id = ? ORDER BY seq", arguments: [id]).map { event in
            let status: String = event["status"], by: String? = event["by_user_id"]
            return OrderEvent(status: OrderStatus(rawValue: status) ?? .pending, at: event["at"], by: by.flatMap(UUID.init(uuidString:)))
        }
        let totals = CheckoutTotals(subtotalMinor: row["subtotal_minor"], discountMinor: row["discount_minor"], shippingMinor: row["shipping_minor"],
                                    taxMinor: row["tax_minor"], totalMinor: row["total_minor"], pricesIncludeTax: row["prices_include_tax"])
        return Order(id: uuid, number: row["number"], status: status, customerID: customer.flatMap(UUID.init(uuidString:)),
                     paymentMethod: row["payment_method"], currency: row["currency"], lines: lines, history: history, totals: totals,
                     checkout: try JSONColumn.value(OrderCheckout.self, row["checkout"], table: "orders"), invoiceNumber: row["invoice_number"],
                     paymentProvider: (row["payment_provider"] as String?).flatMap(PaymentProviderKind.init(rawValue:)),
                     paymentReference: row["payment_reference"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
