import Foundation

/// Months of believable order history for the demo shop, so the dashboard and its charts have
/// shape on first start: business grows slowly, weekends are busier, about half the orders come
/// from returning customers, a few are cancelled or refunded, and the last days still have orders
/// in every state. Deterministic for a given `now`'s day, written once through the same
/// repositories the API uses (so reservations and sales counters add up).
public enum DemoHistory {
    public static let days = 120
    public static let customerPassword = "demo-customer-pass"
    public static let customerCount = 2_000

    struct PlannedOrder {
        var customer: Int
        var lines: [(product: Int, quantity: Int)]
        var placedAt: Date
        var events: [(OrderStatus, Date)]
    }

    /// Writes customers and orders into a shop that has a catalog but no orders yet.
    /// Returns the number of orders written (0 when the shop already had orders).
    @discardableResult
    public static func seed(storage: any TenantStorage, tenantID: UUID, currency: String, passwordHash: String, now: Date) async throws -> Int {
        try await storage.write(tenantID) { tx in
            guard try tx.orders.count(OrderFilter()) == 0 else { return 0 }
            let products = try tx.catalog.products(ProductQuery(page: Page(page: 1, limit: 60), status: .active, includeHidden: true)).products
            guard !products.isEmpty else { return 0 }
            let plan = plan(productCount: products.count, now: now)
            var customers: [Int: UUID] = [:]
            var number = try tx.orders.nextNumber()
            var written = 0
            for planned in plan {
                let customerID: UUID
                if let known = customers[planned.customer] {
                    customerID = known
                } else {
                    customerID = UUID()
                    let (first, last) = name(planned.customer)
                    try tx.users.insert(User(id: customerID, email: "customer\(planned.customer + 1)@demo.example", passwordHash: passwordHash,
                                             firstName: first, lastName: last, role: .customer, createdAt: planned.placedAt,
                                             updatedAt: planned.placedAt))
                    customers[planned.customer] = customerID
                }
                let lines = try planned.lines.map { line in
                    let product = products[line.product]
                    let variant = try product.variant(nil, field: "demo")
                    return OrderLine(productID: product.id, variantID: variant.id, sku: variant.sku, name: product.name, quantity: line.quantity,
                                     unitPriceMinor: variant.priceMinor)
                }
                for line in lines {
                    guard let variant = line.variantID else { continue }
                    if try tx.catalog.reserve(variantID: variant, quantity: line.quantity) { continue }
                    // The shop restocked: popular products would otherwise sell out within weeks.
                    try tx.catalog.adjust(variantID: variant, stock: 200, reserved: 0, sales: 0)
                    guard try tx.catalog.reserve(variantID: variant, quantity: line.quantity) else { throw DomainError.conflict("demo stock") }
                }
                var order = Order(id: UUID(), number: number, status: .pending, customerID: customerID, paymentMethod: "card", currency: currency,
                                  lines: lines, history: [OrderEvent(status: .pending, at: planned.placedAt, by: customerID)],
                                  createdAt: planned.placedAt, updatedAt: planned.placedAt)
                var status = OrderStatus.pending
                for (next, at) in planned.events {
                    try OrderService.applyInventory(tx, order: order, from: status, to: next, restock: true)
                    status = next
                    // Orders are inserted one at a time below, so the next number is always free.
                    if next == .paid { order.invoiceNumber = try tx.orders.nextInvoiceNumber() }
                    order.history.append(OrderEvent(status: next, at: at, by: nil))
                    order.updatedAt = at
                }
                order.status = status
                try tx.orders.insert(order, idempotency: nil)
                number += 1
                written += 1
            }
            return written
        }
    }

    /// The orders of the last `days` days, oldest first.
    static func plan(productCount: Int, now: Date) -> [PlannedOrder] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now)
        var random = SeededGenerator(seed: UInt64(today.timeIntervalSince1970))
        var orders: [PlannedOrder] = []
        var nextNewCustomer = 0
        for offset in stride(from: days - 1, through: 0, by: -1) {
            let day = calendar.date(byAdding: .day, value: -offset, to: today)!
            let weekday = calendar.component(.weekday, from: day)
            let growth = Double(days - offset) / Double(days)
            let base = 2 + Int(growth * 4) + (weekday == 1 || weekday == 7 ? 2 : 0)
            for _ in 0..<(base + Int.random(in: 0...3, using: &random)) {
                let placedAt = day.addingTimeInterval(Double.random(in: 7 * 3600...22 * 3600, using: &random))
                guard placedAt < now else { continue }
                let returning = nextNewCustomer > 5 && (Double.random(in: 0..<1, using: &random) < 0.45 || nextNewCustomer >= customerCount)
                let customer = returning ? Int.random(in: 0..<nextNewCustomer, using: &random) : nextNewCustomer
                if !returning { nextNewCustomer += 1 }
                // Popular products first: a skewed pick gives the top-products chart a clear order.
                let lines = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    (product: Int(pow(Double.random(in: 0..<1, using: &random), 2.2) * Double(productCount)), quantity: Int.random(in: 1...3, using: &random))
                }
                var merged: [(product: Int, quantity: Int)] = []
                for line in lines {
                    if let index = merged.firstIndex(where: { $0.product == line.product }) { merged[index].quantity += line.quantity } else { merged.append(line) }
                }
                orders.append(PlannedOrder(customer: customer, lines: merged, placedAt: placedAt,
                                           events: events(placedAt: placedAt, now: now, random: &random)))
            }
        }
        return orders
    }

    /// What happened to an order after it was placed, never later than `now`.
    static func events(placedAt: Date, now: Date, random: inout SeededGenerator) -> [(OrderStatus, Date)] {
        let roll = Double.random(in: 0..<1, using: &random)
        let hour: TimeInterval = 3600
        if roll < 0.05 { return [(.cancelled, placedAt.addingTimeInterval(2 * hour))].filter { $0.1 < now } }
        var events: [(OrderStatus, Date)] = []
        var at = placedAt.addingTimeInterval(Double.random(in: 300...3600, using: &random))
        for status in [OrderStatus.paid, .fulfilled, .shipped, .delivered] {
            guard at < now else { break }
            events.append((status, at))
            at = at.addingTimeInterval(Double.random(in: 12 * hour...40 * hour, using: &random))
        }
        let refundAt = placedAt.addingTimeInterval(6 * 24 * hour)
        if roll > 0.96, !events.isEmpty, refundAt < now { events.append((.refunded, refundAt)) }
        return events
    }

    static let firstNames = ["Ada", "Ben", "Chloe", "Diego", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kira", "Luca", "Maya", "Noah"]
    static let lastNames = ["Novak", "Okafor", "Larsen", "Moreau", "Tanaka", "Silva", "Keller", "Haddad", "Petrov", "Walsh"]

    static func name(_ index: Int) -> (String, String) {
        (firstNames[index % firstNames.count], lastNames[(index / firstNames.count) % lastNames.count])
    }
}
