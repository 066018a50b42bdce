import EmporiumCore
import Foundation
import GRDB

struct SQLiteOrderRepository: OrderRepository {
    let db: Database
    private typealias Columns = OrderRecord.Columns

    func nextNumber() throws -> Int {
        (try Int.fetchOne(db, OrderRecord.select(max(Columns.number))) ?? 1000) + 1
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
        let request = OrderRecord.filter(Columns.customerID == customerID.lowercased && Columns.idempotencyKey == idempotencyKey)
        return try OrderInfo.request(request).fetchOne(db).map { ($0.domain, $0.order.requestHash ?? "") }
    }

    func update(status: OrderStatus, of orderID: UUID, event: OrderEvent) throws {
        try OrderRecord.filter(key: orderID.lowercased)
            .updateAll(db, Columns.status.set(to: status.rawValue), Columns.updatedAt.set(to: event.at.sqlText))
        let history = OrderEventRecord.filter(OrderEventRecord.Columns.orderID == orderID.lowercased)
        let seq = (try Int.fetchOne(db, history.select(max(OrderEventRecord.Columns.seq))) ?? 0) + 1
        try OrderEventRecord(event, seq: seq, of: orderID).insert(db)
    }

    func list(_ filter: OrderFilter, page: Page) throws -> [Order] {
        let orders = Self.request(filter).order(Columns.createdAt.desc, Columns.number.desc).limit(page.limit, offset: page.offset)
        return try OrderInfo.request(orders).fetchAll(db).map(\.domain)
    }

    func count(_ filter: OrderFilter) throws -> Int {
        try Self.request(filter).fetchCount(db)
    }

    func pendingOrders(before cutoff: Date, limit: Int) throws -> [Order] {
        let orders = OrderRecord.filter(Columns.status == OrderStatus.pending.rawValue && Columns.createdAt < cutoff.sqlText)
            .order(Columns.createdAt).limit(limit)
        return try OrderInfo.request(orders).fetchAll(db).map(\.domain)
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
        (try Int.fetchOne(db, OrderRecord.select(max(Columns.invoiceNumber))) ?? 0) + 1
    }

    func setInvoiceNumber(_ number: Int, of orderID: UUID) throws {
        try OrderRecord.filter(key: orderID.lowercased).filter(Columns.invoiceNumber == nil).updateAll(db, Columns.invoiceNumber.set(to: number))
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
