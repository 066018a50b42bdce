import EmporiumCore
import EmporiumHTTP
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
    func forwardedForIsBelievedOnlyWithTrustProxy(_ trustProxy: Bool) async throws {
        let app = try TestApp.make(["RATE_LIMIT_MAX_REQUESTS": "2", "TRUST_PROXY": trustProxy ? "true" : "false"])
        _ = try await app.shop()
        try await app.run { client in
            var statuses: [Int] = []
            for index in 1...4 {
                var headers = HTTPFields.json(tenant: "shop")
                headers[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.\(index), 10.0.0.1"
                statuses.append(try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: headers,
                                                         body: ByteBuffer(string: #"{"email":"x@example.com","password":"wrong-pass"}"#)).status.code)
            }
            // Spoofed addresses only count as distinct clients behind a trusted proxy
            #expect(statuses == (trustProxy ? [401, 401, 401, 401] : [401, 401, 429, 429]))
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
