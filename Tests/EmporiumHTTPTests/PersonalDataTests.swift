import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

extension TestApp {
    /// A customer, Ada, with an address book entry, a cart line and one order to Berlin, placed
    /// and paid (so it has an invoice number). Returns the order's id and the customer's id.
    func adaWithAPaidOrder(_ client: some TestClientProtocol) async throws -> (order: String, customer: String, owner: HTTPFields, ada: HTTPFields) {
        let (shop, _) = try await commerceShop()
        let teapot = try await product(in: shop, sku: "TEA", name: "Teapot", price: "19.99")
        let ada = try await user("ada@example.com", role: .customer, in: shop)
        let owner = HTTPFields.json(token: try await accessToken(client, "owner@example.com"), tenant: "shop")
        let (flat, _) = try await checkoutShop(client, owner: owner[.authorization]!.replacingOccurrences(of: "Bearer ", with: ""))
        let adaHeaders = HTTPFields.json(token: try await accessToken(client, "ada@example.com"), tenant: "shop")
        let saved = try await client.execute(uri: "/api/v1/addresses", method: .post, headers: adaHeaders, body: ByteBuffer(string: berlin))
        guard saved.status == .created else { throw TestFailure("address: \(saved.status)") }
        let placed = try await client.execute(uri: "/api/v1/orders", method: .post, headers: adaHeaders, body: ByteBuffer(string: """
            {"items":[{"productId":"\(teapot.id.lowercased)","quantity":1}],"shippingAddress":\(berlin),"shippingMethodId":"\(flat)"}
            """))
        guard placed.status == .created else { throw TestFailure("order: \(placed.status) \(String(buffer: placed.body))") }
        let order = try #require((try placed.json()["data"] as? [String: Any])?["id"] as? String)
        let paid = try await client.execute(uri: "/api/v1/orders/\(order)/pay", method: .post, headers: owner)
        guard paid.status == .ok else { throw TestFailure("pay: \(paid.status) \(String(buffer: paid.body))") }
        let cart = try await client.execute(uri: "/api/v1/cart/items", method: .post, headers: adaHeaders,
                                            body: ByteBuffer(string: #"{"productId":"\#(teapot.id.lowercased)","quantity":2}"#))
        guard cart.status == .created || cart.status == .ok else { throw TestFailure("cart: \(cart.status)") }
        return (order, ada.id.lowercased, owner, adaHeaders)
    }
}

@Suite("GDPR: a customer's data exported and erased")
struct PersonalDataTests {
    /// Staff and the customer get the same document: profile, address book, cart, sign-in
    /// addresses, orders and the audit rows about the customer; the export is itself audited.
    @Test func anExportHoldsEverythingAboutTheCustomer() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let (order, customer, owner, ada) = try await app.adaWithAPaidOrder(client)
            let response = try await client.execute(uri: "/api/v1/users/\(customer)/export", method: .get, headers: owner)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let data = try #require(try response.json()["data"] as? [String: Any])
            #expect((data["profile"] as? [String: Any])?["email"] as? String == "ada@example.com")
            #expect((data["shop"] as? [String: Any])?["subdomain"] as? String == "shop")
            let addresses = try #require(data["addresses"] as? [[String: Any]])
            #expect(addresses.count == 1)
            #expect((addresses.first?["address"] as? [String: Any])?["line1"] as? String == "Unter den Linden 1")
            #expect((data["cart"] as? [[String: Any]])?.first?["quantity"] as? Int == 2)
            // Router tests have no client address, so nothing was remembered; the key is there.
            #expect(data["signInAddresses"] is [Any])
            let orders = try #require(data["orders"] as? [[String: Any]])
            #expect(orders.map { $0["id"] as? String } == [order])
            #expect(orders.first?["invoiceNumber"] as? Int == 1)
            let audit = try #require(data["auditEntries"] as? [[String: Any]])
            let actions = Set(audit.compactMap { $0["action"] as? String })
            // Her sign-in, her order's creation (by her) and its payment (by the owner, on her order).
            #expect(actions.isSuperset(of: ["auth.login", "order.created", "order.paid"]), "\(actions)")

            let own = try await client.execute(uri: "/api/v1/auth/me/export", method: .get, headers: ada)
            #expect(own.status == .ok)
            let ownData = try #require(try own.json()["data"] as? [String: Any])
            #expect((ownData["orders"] as? [[String: Any]])?.count == 1)
            #expect((ownData["profile"] as? [String: Any])?["id"] as? String == customer)

            let exports = try await client.execute(uri: "/api/v1/audit-logs?action=user.data_exported", method: .get, headers: owner)
            #expect(((try exports.json()["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total"] as? Int == 2)
        }
    }

    /// Exporting needs every read permission the document covers; a customer gets only their own.
    @Test func anExportNeedsEveryReadPermissionItCovers() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let (_, customer, _, ada) = try await app.adaWithAPaidOrder(client)
            let shop = try await app.backend.tenants.tenant(subdomain: "shop")!.id
            try await app.user("staff@example.com", role: .staff, in: shop)
            let staff = HTTPFields.json(token: try await app.accessToken(client, "staff@example.com"), tenant: "shop")
            #expect(try await client.execute(uri: "/api/v1/users/\(customer)/export", method: .get, headers: staff).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/users/\(customer)/export", method: .get, headers: ada).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/users/\(customer)/export", method: .get,
                                             headers: .json(tenant: "shop")).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/auth/me/export", method: .get, headers: .json(tenant: "shop")).status == .unauthorized)
            let owner = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            #expect(try await client.execute(uri: "/api/v1/users/\(UUID().uuidString)/export", method: .get, headers: owner).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/users/not-a-uuid/export", method: .get, headers: owner).status == .notFound)
        }
    }

    /// Erasure waits for open orders, then keeps the order for the accounts without the person:
    /// the account, address book, cart and tokens are gone, the audit log names nobody, and the
    /// erasure is recorded with counts only.
    @Test func erasureAnonymisesOrdersAndDeletesTheRest() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let (order, customer, owner, ada) = try await app.adaWithAPaidOrder(client)
            let refused = try await client.execute(uri: "/api/v1/users/\(customer)/erase", method: .post, headers: owner)
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("open order"))
            for step in ["fulfill", "ship", "deliver"] {
                let moved = try await client.execute(uri: "/api/v1/orders/\(order)/\(step)", method: .post, headers: owner)
                #expect(moved.status == .ok, "\(step): \(String(buffer: moved.body))")
            }

            let erased = try await client.execute(uri: "/api/v1/users/\(customer)/erase", method: .post, headers: owner)
            #expect(erased.status == .ok, "\(String(buffer: erased.body))")
            let report = try #require(try erased.json()["data"] as? [String: Any])
            #expect(report["ordersAnonymised"] as? Int == 1)
            #expect(report["addressesDeleted"] as? Int == 1)
            #expect((report["auditEntriesScrubbed"] as? Int ?? 0) >= 2)

            // The order stays for the accounts: number, money, invoice number, country; no person.
            let kept = try await client.execute(uri: "/api/v1/orders/\(order)", method: .get, headers: owner)
            #expect(kept.status == .ok)
            let keptOrder = try #require(try kept.json()["data"] as? [String: Any])
            #expect(keptOrder["invoiceNumber"] as? Int == 1)
            #expect((keptOrder["totals"] as? [String: Any])?["total"] != nil)
            #expect(keptOrder["customerId"] is NSNull, "the schema requires customerId, as null once erased")
            let address = try #require(keptOrder["shippingAddress"] as? [String: Any])
            #expect(address["name"] as? String == PostalAddress.erasedName)
            #expect(address["country"] as? String == "DE")
            #expect(address["line1"] as? String == "" && address["city"] as? String == "")
            #expect(address["postalCode"] == nil)
            let invoice = try await client.execute(uri: "/api/v1/orders/\(order)/invoice", method: .get, headers: owner)
            #expect(invoice.status == .ok)
            #expect(!String(buffer: invoice.body).contains("Ada") && !String(buffer: invoice.body).contains("Linden"))

            // The account and everything hanging from it are gone; her token stops working.
            #expect(try await client.execute(uri: "/api/v1/users/\(customer)", method: .get, headers: owner).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: ada).status == .unauthorized)
            let shop = try await app.backend.tenants.tenant(subdomain: "shop")!.id
            let left = try await app.backend.tenantStorage.read(shop) { tx in
                (try tx.personalData.signInAddresses(userID: UUID(uuidString: customer)!).count,
                 try tx.carts.lines(userID: UUID(uuidString: customer)!).count,
                 try tx.addresses.count(userID: UUID(uuidString: customer)!))
            }
            #expect(left == (0, 0, 0))

            // Nothing in the audit log names her or where she came from; the erasure is recorded.
            let log = try await client.execute(uri: "/api/v1/audit-logs?limit=100", method: .get, headers: owner)
            let text = String(buffer: log.body)
            #expect(!text.contains("ada@example.com") && !text.contains("Lovelace") && !text.contains("Linden"))
            let entries = try #require((try log.json()["data"] as? [String: Any])?["auditLogs"] as? [[String: Any]])
            let erasure = try #require(entries.first { $0["action"] as? String == "user.erased" })
            #expect(erasure["resourceId"] as? String == customer)
            #expect((erasure["newValues"] as? [String: Any])?["ordersAnonymised"] as? Int == 1)
            let hers = entries.filter { $0["resourceId"] as? String == customer && $0["action"] as? String != "user.erased" }
            #expect(!hers.isEmpty)
            #expect(hers.allSatisfy { $0["ipAddress"] is NSNull && $0["userAgent"] is NSNull && $0["newValues"] is NSNull })

            // The same address may sign up again: a new account that sees none of the old orders.
            let again = try await client.execute(uri: "/api/v1/auth/register", method: .post, headers: .json(tenant: "shop"), body: ByteBuffer(string:
                #"{"email":"ada@example.com","password":"password-123","firstName":"Ada","lastName":"L"}"#))
            #expect(again.status == .created)
            let newAda = HTTPFields.json(token: try await app.accessToken(client, "ada@example.com"), tenant: "shop")
            let orders = try await client.execute(uri: "/api/v1/orders", method: .get, headers: newAda)
            #expect((try orders.json()["data"] as? [String: Any]).flatMap { $0["orders"] as? [Any] }?.isEmpty == true)
        }
    }

    /// Staff accounts are deleted, never erased (their audit trail stays); erasing needs
    /// `users:write` and `orders:write`; a second erasure finds nobody.
    @Test func erasureIsForCustomersByThoseWhoMayChangeAccountsAndOrders() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        try await app.user("owner@example.com", role: .owner, in: shop)
        let manager = try await app.user("manager@example.com", role: .manager, in: shop)
        let eve = try await app.user("eve@example.com", role: .customer, in: shop)
        try await app.run { client in
            let owner = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            let managerHeaders = HTTPFields.json(token: try await app.accessToken(client, "manager@example.com"), tenant: "shop")
            #expect(try await client.execute(uri: "/api/v1/users/\(manager.id.lowercased)/erase", method: .post, headers: owner).status == .conflict)
            #expect(try await client.execute(uri: "/api/v1/users/\(eve.id.lowercased)/erase", method: .post, headers: managerHeaders).status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/users/\(eve.id.lowercased)/erase", method: .post, headers: owner).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/users/\(eve.id.lowercased)/erase", method: .post, headers: owner).status == .notFound)
        }
    }

    /// `AUDIT_LOG_RETENTION`: rows older than the retention go, newer ones stay.
    @Test func auditRetentionDeletesOnlyRowsPastIt() async throws {
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        let shop = try await app.shop()
        try await app.user("old@example.com", role: .customer, in: shop)
        clock.advance(10 * 86_400)
        try await app.user("new@example.com", role: .customer, in: shop)
        let before = try await app.backend.tenantStorage.read(shop) { tx in try tx.audit.count(AuditFilter()) }
        #expect(try await app.deps.privacy.pruneAuditLog(in: shop, retention: 5 * 86_400) == 1)
        let after = try await app.backend.tenantStorage.read(shop) { tx in try tx.audit.list(AuditFilter(), page: Page()) }
        #expect(after.count == before - 1)
        #expect(after.allSatisfy { $0.createdAt > clock.now.addingTimeInterval(-5 * 86_400) })
        #expect(try await app.deps.privacy.pruneAuditLog(in: shop, retention: 5 * 86_400) == 0)
    }
}
