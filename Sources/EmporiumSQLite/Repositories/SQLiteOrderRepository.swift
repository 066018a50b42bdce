import EmporiumCore
import Foundation
import GRDB

struct SQLiteOrderRepository: OrderRepository {
    let db: Database
    private typealias Columns = OrderRecord.Columns

    func nextNumber() throws -> Int {
        (try Int.fetchOne(db.cachedStatement(sql: "SELECT max(number) FROM orders")) ?? 1000) + 1
    }

    func insert(_ order: Order, idempotency: (key: String, requestHash: String)?) throws {
        try OrderRecord(order, idempotency: idempotency).insert(db)
        for (index, line) in order.lines.enumerated() {
            try OrderLineRecord(line, number: index + 1, of: order.id).insert(db)
        }
        for (index, event) in order.history.enumerated() {
            try OrderEventRecord(event, seq: index + 1, of: order.id).insert(db)
        }
    }

    func order(id: UUID) throws -> Order? {
        try OrderInfo.request(OrderRecord.filter(key: id.lowercased)).fetchOne(db)?.domain
    }

    func order(customerID: UUID, idempotencyKey: String) throws -> (order: Order, requestHash: String)? {
        // On every order that carries a key: looked up through a kept statement, read whole only when found.
        guard let id = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM orders WHERE customer_id = ? AND idempotency_key = ?"),
                                           arguments: [customerID.lowercased, idempotencyKey]) else { return nil }
        return try OrderInfo.request(OrderRecord.filter(key: id)).fetchOne(db).map { ($0.domain, $0.order.requestHash ?? "") }
    }

    func update(status: OrderStatus, of orderID: UUID, event: OrderEvent) throws {
        try db.executeCached(sql: "UPDATE orders SET status = ?, updated_at = ? WHERE id = ?",
                             arguments: [status.rawValue, event.at.sqlText, orderID.lowercased])
        let seq = (try Int.fetchOne(db.cachedStatement(sql: "SELECT max(seq) FROM order_status_history WHERE order_id = ?"),
                                    arguments: [orderID.lowercased]) ?? 0) + 1
        try OrderEventRecord(event, seq: seq, of: orderID).insert(db)
    }

    func list(_ filter: OrderFilter, page: Page) throws -> [Order] {
        let orders = Self.request(filter).order(Columns.createdAt.desc, Columns.number.desc).limit(page.limit, offset: page.offset)
        return try OrderInfo.request(orders).fetchAll(db).map(\.domain)
    }

    func count(_ filter: OrderFilter) throws -> Int {
        try Self.request(filter).fetchCount(db)
    }

    /// Checked before every order (unpaid ones past their time give their stock back): through a
    /// kept statement, and the orders read whole only when there are some.
    func pendingOrders(before cutoff: Date, limit: Int) throws -> [Order] {
        let ids = try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM orders WHERE status = 'pending' AND created_at < ? ORDER BY created_at LIMIT ?"),
                                      arguments: [cutoff.sqlText, limit])
        guard !ids.isEmpty else { return [] }
        return try OrderInfo.request(OrderRecord.filter(keys: ids).order(Columns.createdAt)).fetchAll(db).map(\.domain)
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
        try OrderRecord.filter(key: orderID.lowercased)
            .updateAll(db, Columns.paymentProvider.set(to: provider.rawValue), Columns.paymentReference.set(to: reference))
    }

    func order(paymentReference: String) throws -> Order? {
        try OrderInfo.request(OrderRecord.filter(Columns.paymentReference == paymentReference)).fetchOne(db)?.domain
    }

    static func request(_ filter: OrderFilter) -> QueryInterfaceRequest<OrderRecord> {
        var request = OrderRecord.all()
        if let customer = filter.customerID { request = request.filter(Columns.customerID == customer.lowercased) }
        if let status = filter.status { request = request.filter(Columns.status == status.rawValue) }
        return request
    }
}
