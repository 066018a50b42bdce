import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The findings of the 2026-12-02 attack on a release build, one regression test each: every one
/// of these crashed the process, broke a page or shut a user out before the fix.
@Suite("Hostile callers: boundary numbers, deep JSON, lockout without denial of service")
struct HostileCallerTests {
    @Test(arguments: ["/api/v1/products", "/api/v1/orders", "/api/v1/users", "/api/v1/audit-logs"])
    func hugePageNumbersAre400NamingTheRangeNotATrap(_ path: String) async throws {
        let app = try TestApp.make()
        _ = try await app.commerceShop()
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            for page in ["9223372036854775807", "10002", "-9223372036854775808", "99999999999999999999"] {
                let response = try await client.execute(uri: "\(path)?page=\(page)&limit=100", method: .get, headers: .json(token: token, tenant: "shop"))
                #expect(response.status == .badRequest, "\(path) page=\(page): \(String(buffer: response.body))")
                #expect(String(buffer: response.body).contains("\"page\""))
            }
            // The deepest allowed page still answers (empty)
            let deepest = try await client.execute(uri: "\(path)?page=\(Page.maximumPage(limit: 100))&limit=100", method: .get,
                                                   headers: .json(token: token, tenant: "shop"))
            #expect(deepest.status == .ok)
        }
    }

    @Test func platformTenantPagingIsBoundedToo() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let response = try await client.execute(uri: "/api/v1/platform/tenants?page=9223372036854775807&limit=2", method: .get,
                                                    headers: .json(token: token))
            #expect(response.status == .badRequest)
        }
    }

    @Test(arguments: [
        (#"{"delta":9223372036854775807,"reason":"x"}"#, "delta"),
        (#"{"delta":-9223372036854775808,"reason":"x"}"#, "delta"),
        (#"{"set":9223372036854775807,"reason":"x"}"#, "set"),
        (#"{"delta":1e308,"reason":"x"}"#, ""),
    ])
    func inventoryDeltasAtTheEdgesOfIntAre422NotATrap(_ body: String, _ field: String) async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "TEA-1", stock: 5)
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            let response = try await client.execute(uri: "/api/v1/products/\(product.id.lowercased)/inventory", method: .post,
                                                    headers: .json(token: token, tenant: "shop"), body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent, "\(String(buffer: response.body))")
            #expect(String(buffer: response.body).contains("\"\(field)\""))
            // Nothing changed
            let after = try await app.deps.catalog.product(in: shop, reference: product.id.lowercased, includeHidden: true)
            #expect(after.stock == 5)
        }
    }

    static func nested(_ depth: Int) -> String { String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth) }

    @Test func deeplyNestedAttributesAreRefusedAndTheStorefrontKeepsWorking() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "TEA-1")
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            for depth in [40, 509, 10_000] {
                let body = #"{"attributes":"# + Self.nested(depth) + "}"
                let response = try await client.execute(uri: "/api/v1/products/\(product.id.lowercased)", method: .patch,
                                                        headers: .json(token: token, tenant: "shop"), body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "depth \(depth): \(String(buffer: response.body))")
                #expect(String(buffer: response.body).contains("levels deep"))
            }
            // The deepest accepted nesting is stored and served back
            let accepted = #"{"attributes":"# + Self.nested(JSONLimits.maximumDepth - 2) + "}"
            let saved = try await client.execute(uri: "/api/v1/products/\(product.id.lowercased)", method: .patch,
                                                 headers: .json(token: token, tenant: "shop"), body: ByteBuffer(string: accepted))
            #expect(saved.status == .ok, "\(String(buffer: saved.body))")
            #expect(try await client.execute(uri: "/api/v1/products", method: .get, headers: .json(tenant: "shop")).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/products/\(product.id.lowercased)", method: .get, headers: .json(tenant: "shop")).status == .ok)
        }
    }

    @Test func deeplyNestedSettingsAreRefusedAndSettingsStillRead() async throws {
        let app = try TestApp.make()
        _ = try await app.commerceShop()
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            let response = try await client.execute(uri: "/api/v1/settings/theme", method: .put, headers: .json(token: token, tenant: "shop"),
                                                    body: ByteBuffer(string: #"{"value":"# + Self.nested(509) + "}"))
            #expect(response.status == .badRequest)
            let many = "[" + Array(repeating: "1", count: JSONLimits.maximumValues + 1).joined(separator: ",") + "]"
            let wide = try await client.execute(uri: "/api/v1/settings/theme", method: .put, headers: .json(token: token, tenant: "shop"),
                                                body: ByteBuffer(string: #"{"value":"# + many + "}"))
            #expect(wide.status == .badRequest)
            #expect(try await client.execute(uri: "/api/v1/settings", method: .get, headers: .json(token: token, tenant: "shop")).status == .ok)
        }
    }

    @Test func failedSignInsByAStrangerNeverEndTheOwnersSessions() async throws {
        // Given an owner signed in, with an access token and a refresh token
        let app = try TestApp.make()
        _ = try await app.commerceShop()
        try await app.run { client in
            let session = try await app.signIn(client, "owner@example.com")
            let access = try #require(session["accessToken"] as? String)
            let refresh = try #require(session["refreshToken"] as? String)
            // When a stranger sends five wrong passwords for the owner's email
            var statuses: [Int] = []
            for _ in 1...5 {
                statuses.append(try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: .json(tenant: "shop"),
                                                         body: ByteBuffer(string: #"{"email":"owner@example.com","password":"guess-guess"}"#)).status.code)
            }
            #expect(statuses.last == 423)
            // Then the owner's open tab keeps working, and its refresh token still refreshes
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: access, tenant: "shop")).status == .ok)
            let refreshed = try await client.execute(uri: "/api/v1/auth/refresh", method: .post, headers: .json(tenant: "shop"),
                                                     body: ByteBuffer(string: #"{"refreshToken":"\#(refresh)"}"#))
            #expect(refreshed.status == .ok, "\(String(buffer: refreshed.body))")
        }
    }

    @Test func aLockedAccountStillSignsInWithTheRightPasswordFromAKnownAddressOnly() async throws {
        let app = try TestApp.make(["TRUST_PROXY": "true", "PORT": "0"])
        _ = try await app.commerceShop()
        try await app.runLive { client in
            func login(_ password: String, from address: String) async throws -> Int {
                var headers = HTTPFields.json(tenant: "shop")
                headers[HTTPField.Name("X-Forwarded-For")!] = address
                return try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: headers,
                                                body: ByteBuffer(string: #"{"email":"owner@example.com","password":"\#(password)"}"#)).status.code
            }
            // Given the owner signed in from 198.51.100.10 once
            #expect(try await login("password-123", from: "198.51.100.10") == 200)
            // When a stranger locks the account from elsewhere
            for _ in 1...5 { _ = try await login("guess-guess", from: "203.0.113.50") }
            // Then the stranger cannot get in even with the right password, and the owner can
            #expect(try await login("password-123", from: "203.0.113.50") == 423)
            #expect(try await login("password-123", from: "198.51.100.10") == 200)
        }
    }

    @Test func racingHoardersCannotReserveWhatAnHonestBuyerNeedsAndTheirHoldsExpire() async throws {
        // Given 200 units, at most 20 per line and 2 unpaid orders per customer, four hoarders and one honest buyer
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "LAST-ONES", stock: 200)
        for (key, value) in [("orders.maxUnitsPerLine", 20), ("orders.maxPendingPerCustomer", 2)] {
            _ = try await app.deps.settings.put(in: shop, key: key, value: .number(Double(value)), encrypted: false, by: .commandLine)
        }
        let hoarders = ["h1", "h2", "h3", "h4"].map { "\($0)@example.com" }
        for email in hoarders + ["honest@example.com"] { try await app.user(email, role: .customer, in: shop) }
        try await app.run { client in
            var tokens: [String] = []
            for email in hoarders { tokens.append(try await app.accessToken(client, email)) }
            // A line over the cap is refused outright, naming the line
            let greedy = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: tokens[0], tenant: "shop"),
                                                  body: orderBody(product, 21))
            #expect(greedy.status == .unprocessableContent && String(buffer: greedy.body).contains("items[0].quantity"))
            // When every hoarder fires ten orders of 20 at once
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for token in tokens {
                    for _ in 1...10 {
                        group.addTask {
                            try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: token, tenant: "shop"),
                                                     body: orderBody(product, 20)).status.code
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // Then each got at most two, and the honest buyer still buys
            #expect(statuses.filter { $0 == 201 }.count == 8, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 })
            let honest = try await app.accessToken(client, "honest@example.com")
            let bought = try await client.execute(uri: "/api/v1/orders", method: .post, headers: .json(token: honest, tenant: "shop"),
                                                  body: orderBody(product, 5))
            #expect(bought.status == .created, "\(String(buffer: bought.body))")
            // And once the reservation time has passed, the hoarders' unpaid holds are released
            clock.advance(app.config.orderReservationTTL + 1)
            #expect(try await app.deps.orders.expireReservations(in: shop) == 9)
            let after = try await app.deps.catalog.product(in: shop, reference: product.id.lowercased, includeHidden: true)
            #expect(after.reserved == 0 && after.stock == 200)
        }
    }

    @Test func aStaffMemberGrantedUsersWriteCannotRaiseAnyoneAboveThemselves() async throws {
        // Given a staff member who was given users:write on top of the staff role
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let staff = try await app.deps.users.create(in: shop, .init(email: "staff@example.com", password: "password-123", firstName: "S",
                                                                    lastName: "T", role: .staff, permissions: ["users:write", "users:read"]),
                                                    by: .commandLine)
        try await app.run { client in
            let token = try await app.accessToken(client, "staff@example.com")
            let headers = HTTPFields.json(token: token, tenant: "shop")
            func call(_ method: HTTPRequest.Method, _ path: String, _ body: String) async throws -> Int {
                try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: body)).status.code
            }
            // Then promoting themselves, creating an admin or granting a permission they lack is 403
            #expect(try await call(.patch, "/api/v1/users/\(staff.id.lowercased)", #"{"role":"admin"}"#) == 403)
            #expect(try await call(.patch, "/api/v1/users/\(staff.id.lowercased)", #"{"permissions":["settings:write"]}"#) == 403)
            #expect(try await call(.post, "/api/v1/users",
                                   #"{"email":"a@example.com","password":"password-123","firstName":"A","lastName":"B","role":"admin"}"#) == 403)
            // And an account above them is out of their reach
            let owner = try #require(try await app.deps.users.list(in: shop, search: "owner@", role: .owner, page: Page(), by: .commandLine).users.first)
            #expect(try await call(.patch, "/api/v1/users/\(owner.id.lowercased)", #"{"firstName":"Mallory"}"#) == 403)
            // While what they hold themselves they may still grant
            #expect(try await call(.post, "/api/v1/users",
                                   #"{"email":"c@example.com","password":"password-123","firstName":"C","lastName":"D","role":"customer"}"#) == 201)
            #expect(try await app.deps.users.get(in: shop, id: staff.id, by: .commandLine).role == .staff)
        }
    }

    @Test func twentyParallelWrongPasswordsLockAnOperatorAsTwentySequentialOnesWould() async throws {
        // Before, each failure read the counter, checked it and wrote it back outside one transaction:
        // 20 at once all read 0 and the operator was never locked.
        let app = try TestApp.make()
        _ = try await app.deps.operators.create(email: "ops@example.com", password: "correct horse battery")
        try await app.run { client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 1...20 {
                    group.addTask {
                        try await client.execute(uri: "/api/v1/platform/auth/login", method: .post, headers: .json(),
                                                 body: ByteBuffer(string: #"{"email":"ops@example.com","password":"wrong-guess-1"}"#)).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.contains(423), "\(statuses)")
            let op = try #require(try await app.backend.operators.operatorBy(email: "ops@example.com"))
            #expect(op.lockedUntil != nil)
            // The right password from an address never seen is refused while locked
            let right = try await client.execute(uri: "/api/v1/platform/auth/login", method: .post, headers: .json(),
                                                 body: ByteBuffer(string: #"{"email":"ops@example.com","password":"correct horse battery"}"#))
            #expect(right.status.code == 423)
        }
    }
}
