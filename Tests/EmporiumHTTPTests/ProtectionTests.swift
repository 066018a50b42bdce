import EmporiumCore
@testable import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Rate limits, CORS and security headers")
struct ProtectionTests {
    @Test func authRoutesAreLimitedPerClientThenRecoverAfterTheWindow() async throws {
        let clock = TestClock()
        let app = try TestApp.make(["RATE_LIMIT_MAX_REQUESTS": "3", "RATE_LIMIT_WINDOW_MS": "60000"], clock: clock)
        _ = try await app.shop()
        try await app.run { client in
            func attempt() async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: .json(tenant: "shop"),
                                         body: ByteBuffer(string: #"{"email":"x@example.com","password":"wrong-pass"}"#))
            }
            var remaining: [String?] = []
            for _ in 1...3 {
                let response = try await attempt()
                #expect(response.status == .unauthorized)
                remaining.append(response.headers[HTTPField.Name("RateLimit-Remaining")!])
            }
            #expect(remaining == ["2", "1", "0"])
            let limited = try await attempt()
            #expect(limited.status == .tooManyRequests)
            #expect(try limited.errorCode() == "RATE_LIMITED")
            let retryAfter = try #require(Int(limited.headers[.retryAfter] ?? ""))
            #expect((1...60).contains(retryAfter))
            #expect(limited.headers[HTTPField.Name("RateLimit-Limit")!] == "3")
            // Honouring Retry-After, the client gets through again
            clock.advance(TimeInterval(retryAfter))
            #expect(try await attempt().status == .unauthorized)
        }
    }

    @Test func eachShopHasItsOwnAPIBudget() async throws {
        let app = try TestApp.make(["TENANT_RATE_LIMIT_MAX_REQUESTS": "5"])
        _ = try await app.shop("one")
        _ = try await app.shop("two")
        try await app.run { client in
            var statuses: [Int] = []
            for _ in 1...6 {
                statuses.append(try await client.execute(uri: "/api/v1/shop", method: .get, headers: .json(tenant: "one")).status.code)
            }
            #expect(statuses == [200, 200, 200, 200, 200, 429])
            #expect(try await client.execute(uri: "/api/v1/shop", method: .get, headers: .json(tenant: "two")).status == .ok)
        }
    }

    @Test(arguments: [false, true])
    func forwardedForIsBelievedOnlyFromATrustedProxyAndOnlyItsOwnHop(_ trustProxy: Bool) async throws {
        let app = try TestApp.make(["RATE_LIMIT_MAX_REQUESTS": "2", "TRUST_PROXY": trustProxy ? "true" : "false", "PORT": "0"])
        _ = try await app.shop()
        try await app.runLive { client in
            func statuses(_ forwarded: (Int) -> String) async throws -> [Int] {
                var statuses: [Int] = []
                for index in 1...4 {
                    var headers = HTTPFields.json(tenant: "shop")
                    headers[HTTPField.Name("X-Forwarded-For")!] = forwarded(index)
                    statuses.append(try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: headers,
                                                             body: ByteBuffer(string: #"{"email":"x@example.com","password":"wrong-pass"}"#)).status.code)
                }
                return statuses
            }
            // Distinct addresses as our (loopback) proxy saw them count as distinct clients, only with TRUST_PROXY
            let distinct = try await statuses { "garbage, 203.0.113.\($0)" }
            #expect(distinct == (trustProxy ? [401, 401, 401, 401] : [401, 401, 429, 429]))
            // Whatever the client writes to the left of its real address is never believed
            if trustProxy {
                let forged = try await statuses { "198.51.100.\($0), 192.0.2.77" }
                #expect(forged == [401, 401, 429, 429])
            }
        }
    }

    @Test func theClientIsTheRightmostForwardedAddressThatIsNotATrustedProxy() {
        let trusted = [IPNetwork("127.0.0.0/8")!, IPNetwork("10.0.0.0/8")!, IPNetwork("::1")!]
        #expect(ClientAddressMiddleware.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.1.1.1, 203.0.113.9, 10.0.0.2"], trusted: trusted) == "203.0.113.9")
        #expect(ClientAddressMiddleware.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.9", "not-an-ip, 10.1.1.1"], trusted: trusted) == "203.0.113.9")
        // An untrusted peer's header is ignored; unparseable or all-trusted chains fall back to the peer
        #expect(ClientAddressMiddleware.clientAddress(peer: "192.0.2.1", forwardedFor: ["203.0.113.9"], trusted: trusted) == "192.0.2.1")
        #expect(ClientAddressMiddleware.clientAddress(peer: "::1", forwardedFor: ["x, 10.0.0.3, ../../"], trusted: trusted) == "::1")
        #expect(ClientAddressMiddleware.clientAddress(peer: "::ffff:127.0.0.1", forwardedFor: ["2001:db8::1"], trusted: trusted) == "2001:db8::1")
        #expect(IPNetwork("10.0.0.0/33") == nil && IPNetwork("300.1.1.1") == nil && IPNetwork("fe80::/129") == nil)
    }

    @Test func oneNoisyClientSpendsItsOwnBudgetNotTheShops() async throws {
        // Given a shop budget of 8 and a per-client budget of 5
        let app = try TestApp.make(["CLIENT_RATE_LIMIT_MAX_REQUESTS": "5", "TENANT_RATE_LIMIT_MAX_REQUESTS": "8", "TRUST_PROXY": "true", "PORT": "0"])
        _ = try await app.shop()
        try await app.runLive { client in
            func get(as address: String) async throws -> LiveResponse {
                var headers = HTTPFields.json(tenant: "shop")
                headers[HTTPField.Name("X-Forwarded-For")!] = address
                return try await client.execute(uri: "/api/v1/shop", method: .get, headers: headers)
            }
            // When one client sends 40 requests
            var noisy: [Int] = []
            for _ in 1...40 { noisy.append(try await get(as: "203.0.113.66").status.code) }
            // Then it is stopped after its own 5, with the headers that say when to come back
            #expect(noisy.filter { $0 == 200 }.count == 5 && noisy.filter { $0 == 429 }.count == 35)
            let limited = try await get(as: "203.0.113.66")
            #expect(limited.headers[.retryAfter] != nil && limited.headers[HTTPField.Name("RateLimit-Remaining")!] == "0")
            // And another client of the same shop is still served
            #expect(try await get(as: "198.51.100.1").status == .ok)
            #expect(try await get(as: "198.51.100.2").status == .ok)
        }
    }

    @Test func aSignedInUserHasOneBudgetAcrossAddresses() async throws {
        let app = try TestApp.make(["USER_RATE_LIMIT_MAX_REQUESTS": "4", "TRUST_PROXY": "true", "PORT": "0"])
        let shop = try await app.shop()
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.runLive { client in
            let token = try await client.accessToken("buyer@example.com")
            var statuses: [Int] = []
            for index in 1...6 {
                var headers = HTTPFields.json(token: token, tenant: "shop")
                headers[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.\(index)"
                statuses.append(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: headers).status.code)
            }
            #expect(statuses == [200, 200, 200, 200, 429, 429])
        }
    }

    @Test func limiterMemoryStaysBoundedUnderAFloodOfDistinctAddresses() {
        let limiter = RateLimiter(limit: 10, window: 60, capacity: 1_000, now: { Date() })
        for index in 0..<50_000 {
            _ = limiter.hit("198.51.\(index / 256).\(index % 256)")
        }
        #expect(limiter.trackedKeys <= 1_000)
    }

    @Test(arguments: [false, true])
    func securityHeadersAreOnEveryAnswerErrorsIncluded(_ hsts: Bool) async throws {
        let app = try TestApp.make(["HSTS": hsts ? "true" : "false"])
        try await app.run { client in
            for uri in ["/health/live", "/api/v1/nope"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "strict-origin-when-cross-origin")
                #expect((response.headers[HTTPField.Name("Strict-Transport-Security")!] != nil) == hsts)
            }
        }
    }

    @Test func apiAnswersAreNeverStoredWhilePicturesAndAssetsKeepTheirOwnCaching() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            for uri in ["/api/v1/products", "/api/v1/auth/me", "/api/v1/orders", "/api/v1/nope"] {
                let response = try await client.execute(uri: uri, method: .get, headers: .json(token: owner, tenant: "shop"))
                #expect(response.headers[.cacheControl] == "no-store", "\(uri)")
            }
            var headers = HTTPFields.json(token: owner, tenant: "shop")
            headers[.contentType] = "image/png"
            let image = try await client.execute(uri: "/api/v1/products/\(product.id.lowercased)/images", method: .post, headers: headers,
                                                 body: ByteBuffer(bytes: try testPicture("badge.png")))
            let url = try #require(((try image.json()["data"] as? [String: Any])?["url"] as? String))
            #expect(try await client.execute(uri: url, method: .get).headers[.cacheControl] == "public, max-age=31536000, immutable")
        }
    }

    @Test func corsAllowsOnlyTheConfiguredOriginsAndAnswersPreflight() async throws {
        let app = try TestApp.make(["CORS_ORIGIN": "https://shop.example.com,https://admin.example.com"])
        _ = try await app.shop()
        try await app.run { client in
            var preflight = HTTPFields()
            preflight[.origin] = "https://admin.example.com"
            preflight[.accessControlRequestMethod] = "PATCH"
            let allowed = try await client.execute(uri: "/api/v1/users", method: .options, headers: preflight)
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://admin.example.com")
            #expect(allowed.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
            #expect(allowed.headers[.accessControlAllowCredentials] == nil)

            preflight[.origin] = "https://evil.example.net"
            let refused = try await client.execute(uri: "/api/v1/users", method: .options, headers: preflight)
            #expect(refused.headers[.accessControlAllowOrigin] == nil)

            var simple = HTTPFields.json(tenant: "shop")
            simple[.origin] = "https://shop.example.com"
            let answer = try await client.execute(uri: "/api/v1/shop", method: .get, headers: simple)
            #expect(answer.headers[.accessControlAllowOrigin] == "https://shop.example.com")
            #expect(answer.headers[.accessControlAllowOrigin] != "*")
        }
    }
}
