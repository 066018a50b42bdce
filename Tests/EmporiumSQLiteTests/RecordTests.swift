@testable import EmporiumSQLite
import EmporiumCore
import Foundation
import GRDB
import Testing

/// The tables' records (`Records/`): what goes in comes out, an order page costs one query per
/// association whatever its size, and a stored value that does not decode fails the read instead
/// of turning into a made-up id.
@Suite("Records: round trips, associations, damaged rows")
struct RecordTests {
    func withShop(_ body: @escaping @Sendable (Database) throws -> Void) async throws {
        let registry = TenantDatabaseRegistry(config: try temporaryConfig())
        let shop = UUID()
        try await registry.provision(tenantID: shop)
        try await registry.withDatabase(shop) { database in
            try await database.pool.write { db in try body(db) }
        }
        await registry.closeAll()
    }

    static let placed = Date(timeIntervalSince1970: 1_800_000_000)

    static func order(number: Int, lines: Int = 2) -> Order {
        let items = (1...lines).map { line in
            OrderLine(productID: UUID(), variantID: line.isMultiple(of: 2) ? nil : UUID(), sku: "SKU-\(line)", name: "Thing <\(line)>",
                      options: line == 1 ? [VariantOption(name: "Size", value: "M")] : [], quantity: line, unitPriceMinor: 1_999,
                      discountMinor: 100, taxMinor: 50)
        }
        let address = PostalAddress(name: "Ada", line1: "1 Road", city: "Town", postalCode: "12345", country: "DE")
        return Order(id: UUID(), number: number, status: .paid, customerID: nil, paymentMethod: "manual", currency: "EUR", lines: items,
                     history: [OrderEvent(status: .pending, at: placed, by: nil), OrderEvent(status: .paid, at: placed.addingTimeInterval(60), by: UUID())],
                     checkout: OrderCheckout(shippingAddress: address), invoiceNumber: number - 1000,
                     paymentProvider: .stripe, paymentReference: "pi_\(number)", createdAt: placed, updatedAt: placed.addingTimeInterval(60))
    }

    @Test func anOrderComesBackAsItWentInWithItsLinesHistoryAndIdempotencyKey() async throws {
        try await withShop { db in
            let orders = SQLiteOrderRepository(db: db)
            let order = Self.order(number: 1001, lines: 3)
            try orders.insert(order, idempotency: nil)
            #expect(try orders.order(id: order.id) == order)
            #expect(try orders.order(paymentReference: "pi_1001") == order)
            #expect(try orders.nextNumber() == 1002)
            #expect(try orders.nextInvoiceNumber() == 2)
        }
    }

    @Test(arguments: [1, 40])
    func aPageOfOrdersCostsOneQueryPerAssociationWhateverItsSize(orders count: Int) async throws {
        try await withShop { db in
            let orders = SQLiteOrderRepository(db: db)
            for number in 0..<count {
                try orders.insert(Self.order(number: 1001 + number), idempotency: nil)
            }
            var statements: [String] = []
            db.trace { statements.append($0.expandedDescription) }
            let page = try orders.list(OrderFilter(), page: Page(page: 1, limit: 50))
            db.trace(options: [], nil)
            #expect(page.count == count)
            #expect(page.allSatisfy { $0.lines.count == 2 && $0.history.count == 2 })
            // GRDB reads the foreign keys once per connection (PRAGMA), then caches them.
            let queries = statements.filter { $0.hasPrefix("SELECT") }
            #expect(queries.count == 3, "the orders, then all their lines, then all their events: \(queries)")
        }
    }

    @Test func aDamagedIdInAnOrderLineFailsTheReadInsteadOfBecomingARandomOne() async throws {
        try await withShop { db in
            let orders = SQLiteOrderRepository(db: db)
            let order = Self.order(number: 1001)
            try orders.insert(order, idempotency: nil)
            try db.execute(sql: "UPDATE order_items SET product_id = ? WHERE line = 1", arguments: [String(repeating: "z", count: 36)])
            #expect(throws: (any Error).self) { try orders.order(id: order.id) }
            #expect(throws: (any Error).self) { try orders.list(OrderFilter(), page: Page(page: 1, limit: 10)) }
        }
    }

    @Test func aDamagedUserIdOrUnknownStatusFailsTheRead() async throws {
        try await withShop { db in
            let users = SQLiteUserRepository(db: db)
            let user = User(id: UUID(), email: "ada@example.com", passwordHash: String(repeating: "h", count: 60), firstName: "Ada",
                            lastName: "L", role: .customer, extraPermissions: [Permission(rawValue: "orders.read")], lastLogin: nil,
                            loginAttempts: 0, lockedUntil: nil, tokensValidAfter: Self.placed, createdAt: Self.placed, updatedAt: Self.placed)
            try users.insert(user)
            #expect(try users.user(email: "ADA@example.com") == user, "email is matched case-insensitively, as the column's collation says")
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(sql: "UPDATE users SET id = ? WHERE email = ?", arguments: [String(repeating: "z", count: 36), user.email])
            #expect(throws: (any Error).self) { try users.user(email: user.email) }
        }
    }

    @Test func aTwoFactorCredentialAndASignInAddressAreSavedAgainInPlace() async throws {
        try await withShop { db in
            let users = SQLiteUserRepository(db: db), factors = SQLiteTwoFactorRepository(db: db)
            let id = UUID()
            try users.insert(User(id: id, email: "bo@example.com", passwordHash: String(repeating: "h", count: 60), firstName: "Bo", lastName: "B",
                                  role: .staff, extraPermissions: [], lastLogin: nil, loginAttempts: 0, lockedUntil: nil, tokensValidAfter: nil,
                                  createdAt: Self.placed, updatedAt: Self.placed))
            var credential = TwoFactorCredential(sealedSecret: "sealed", confirmedAt: nil, lastUsedStep: nil, recoveryCodeHashes: ["a", "b"],
                                                 failures: 0, lockedUntil: nil, createdAt: Self.placed, updatedAt: Self.placed)
            try factors.save(credential, userID: id)
            credential.confirmedAt = Self.placed
            credential.lastUsedStep = 59_999_999
            try factors.save(credential, userID: id)
            #expect(try factors.credential(userID: id) == credential)
            #expect(try factors.all().map(\.userID) == [id])

            for (address, minutes) in [("198.51.100.1", 0.0), ("198.51.100.2", 1), ("198.51.100.1", 2), ("198.51.100.3", 3)] {
                try users.rememberSignInAddress(userID: id, address: address, at: Self.placed.addingTimeInterval(minutes * 60), keep: 2)
            }
            let known = try SQLitePersonalDataRepository(db: db).signInAddresses(userID: id)
            #expect(known.map(\.address) == ["198.51.100.3", "198.51.100.1"], "the newest two, the repeated one moved up")
            #expect(try users.isKnownSignInAddress(userID: id, address: "198.51.100.1", since: Self.placed.addingTimeInterval(60)))
            #expect(try !users.isKnownSignInAddress(userID: id, address: "198.51.100.2", since: Self.placed))
        }
    }
}
