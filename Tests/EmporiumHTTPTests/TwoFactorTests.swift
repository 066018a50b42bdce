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
    /// Sets up and confirms a second factor for `email` through the API; answers the app's
    /// generator and the recovery codes.
    func enrolTwoFactor(_ client: some TestClientProtocol, _ email: String, token: String, clock: TestClock,
                        prefix: String = "/api/v1/auth/2fa", tenant: String? = "shop") async throws -> (totp: TOTP, recovery: [String]) {
        let headers = HTTPFields.json(token: token, tenant: tenant)
        let setup = try await client.execute(uri: "\(prefix)/setup", method: .post, headers: headers, body: ByteBuffer(string: #"{"password":"\#(passwordOf(email))"}"#))
        guard setup.status == .ok, let data = try setup.json()["data"] as? [String: Any], let secret = data["secret"] as? String,
              let bytes = Base32.decode(secret) else { throw TestFailure("setup: \(setup.status) \(String(buffer: setup.body))") }
        let totp = TOTP(secret: bytes)
        let confirm = try await client.execute(uri: "\(prefix)/confirm", method: .post, headers: headers,
                                               body: ByteBuffer(string: #"{"code":"\#(totp.code(at: clock.now)!)"}"#))
        guard confirm.status == .ok, let codes = (try confirm.json()["data"] as? [String: Any])?["recoveryCodes"] as? [String] else {
            throw TestFailure("confirm: \(confirm.status) \(String(buffer: confirm.body))")
        }
        return (totp, codes)
    }

    func passwordOf(_ email: String) -> String { email.hasPrefix("ops@") ? "correct horse battery" : "password-123" }

    func login(_ client: some TestClientProtocol, _ email: String, password: String = "password-123", code: String?) async throws -> TestResponse {
        let codeField = code.map { #","code":"\#($0)""# } ?? ""
        return try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: .json(tenant: "shop"),
                                        body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"\#(codeField)}"#))
    }
}

@Suite("Two-factor sign-in: enrolment, codes at sign-in, the shop's rule, resets")
struct TwoFactorTests {
    @Test func enrolmentNeedsThePasswordAndAFirstCode() async throws {
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        try await app.run { client in
            let shop = try await app.shop()
            try await app.user("owner@example.com", role: .owner, in: shop)
            let owner = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            let before = try await client.execute(uri: "/api/v1/auth/2fa", method: .get, headers: owner)
            #expect((try before.json()["data"] as? [String: Any])?["enabled"] as? Bool == false)

            let wrongPassword = try await client.execute(uri: "/api/v1/auth/2fa/setup", method: .post, headers: owner,
                                                         body: ByteBuffer(string: #"{"password":"not-my-password"}"#))
            #expect(wrongPassword.status == .unprocessableContent)
            let noSetup = try await client.execute(uri: "/api/v1/auth/2fa/confirm", method: .post, headers: owner, body: ByteBuffer(string: #"{"code":"123456"}"#))
            #expect(noSetup.status == .conflict)

            let setup = try await client.execute(uri: "/api/v1/auth/2fa/setup", method: .post, headers: owner,
                                                 body: ByteBuffer(string: #"{"password":"password-123"}"#))
            let data = try #require(try setup.json()["data"] as? [String: Any])
            let secret = try #require(data["secret"] as? String)
            #expect((data["otpauthUri"] as? String)?.hasPrefix("otpauth://totp/Shop:owner@example.com?secret=\(secret)") == true)
            let totp = TOTP(secret: try #require(Base32.decode(secret)))
            let wrongCode = try await client.execute(uri: "/api/v1/auth/2fa/confirm", method: .post, headers: owner,
                                                     body: ByteBuffer(string: #"{"code":"\#(totp.code(at: clock.now.addingTimeInterval(300))!)"}"#))
            #expect(wrongCode.status == .unprocessableContent)
            // Until confirmed, sign-in does not ask for a code.
            #expect(try await app.login(client, "owner@example.com", code: nil).status == .ok)

            let confirmed = try await client.execute(uri: "/api/v1/auth/2fa/confirm", method: .post, headers: owner,
                                                     body: ByteBuffer(string: #"{"code":"\#(totp.code(at: clock.now)!)"}"#))
            #expect(confirmed.status == .ok)
            let recovery = try #require((try confirmed.json()["data"] as? [String: Any])?["recoveryCodes"] as? [String])
            #expect(recovery.count == 10)
            let after = try #require(try await client.execute(uri: "/api/v1/auth/2fa", method: .get, headers: owner).json()["data"] as? [String: Any])
            #expect(after["enabled"] as? Bool == true && after["recoveryCodesRemaining"] as? Int == 10)
            let again = try await client.execute(uri: "/api/v1/auth/2fa/setup", method: .post, headers: owner,
                                                 body: ByteBuffer(string: #"{"password":"password-123"}"#))
            #expect(again.status == .conflict)

            // The audit log says what happened, never the secret or a code.
            let audit = try await client.execute(uri: "/api/v1/audit-logs?action=auth.two_factor_enabled", method: .get, headers: owner)
            #expect(((try audit.json()["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total"] as? Int == 1)
            let everything = String(buffer: try await client.execute(uri: "/api/v1/audit-logs?limit=100", method: .get, headers: owner).body)
            #expect(!everything.contains(secret) && !recovery.contains { everything.contains($0) })
        }
    }

    @Test func signInAsksForTheCodeAndTakesEachOnlyOnce() async throws {
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        try await app.run { client in
            let shop = try await app.shop()
            try await app.user("owner@example.com", role: .owner, in: shop)
            let (totp, recovery) = try await app.enrolTwoFactor(client, "owner@example.com", token: try await app.accessToken(client, "owner@example.com"), clock: clock)
            clock.advance(30)

            let noCode = try await app.login(client, "owner@example.com", code: nil)
            #expect(noCode.status == .unauthorized)
            #expect(try noCode.errorCode() == "TWO_FACTOR_REQUIRED")
            // A wrong password never learns that a second factor exists.
            let wrongPassword = try await app.login(client, "owner@example.com", password: "not-the-password", code: nil)
            #expect(try wrongPassword.errorCode() == "UNAUTHORIZED")
            let wrongCode = try await app.login(client, "owner@example.com", code: "000000")
            #expect(wrongCode.status == .unauthorized)
            #expect(try wrongCode.errorCode() == "UNAUTHORIZED")

            let code = totp.code(at: clock.now)!
            let signedIn = try await app.login(client, "owner@example.com", code: code)
            #expect(signedIn.status == .ok)
            #expect((try signedIn.json()["data"] as? [String: Any])?["twoFactorEnrolmentRequired"] as? Bool == false)
            // Replayed within its own 30 seconds: refused (RFC 6238 §5.2).
            #expect(try await app.login(client, "owner@example.com", code: code).status == .unauthorized)
            // The phone a step ahead of the server still signs in; two steps is too far.
            #expect(try await app.login(client, "owner@example.com", code: totp.code(at: clock.now.addingTimeInterval(60))!).status == .unauthorized)
            #expect(try await app.login(client, "owner@example.com", code: totp.code(at: clock.now.addingTimeInterval(30))!).status == .ok)

            let withRecovery = try await app.login(client, "owner@example.com", code: recovery[0].uppercased())
            #expect(withRecovery.status == .ok)
            #expect(try await app.login(client, "owner@example.com", code: recovery[0]).status == .unauthorized)
            let token = try #require((try withRecovery.json()["data"] as? [String: Any])?["accessToken"] as? String)
            let owner = HTTPFields.json(token: token, tenant: "shop")
            let status = try #require(try await client.execute(uri: "/api/v1/auth/2fa", method: .get, headers: owner).json()["data"] as? [String: Any])
            #expect(status["recoveryCodesRemaining"] as? Int == 9)
            let logins = try await client.execute(uri: "/api/v1/audit-logs?action=auth.login&limit=100", method: .get, headers: owner)
            let factors = ((try logins.json()["data"] as? [String: Any])?["auditLogs"] as? [[String: Any]])?.compactMap {
                ($0["newValues"] as? [String: Any])?["secondFactor"] as? String
            }
            #expect(Set(factors ?? []) == ["totp", "recovery_code"], "\(String(buffer: logins.body))")

            // New recovery codes need a current code; the old ones stop working.
            clock.advance(60)
            let renewed = try await client.execute(uri: "/api/v1/auth/2fa/recovery-codes", method: .post, headers: owner,
                                                   body: ByteBuffer(string: #"{"code":"\#(totp.code(at: clock.now)!)"}"#))
            let fresh = try #require((try renewed.json()["data"] as? [String: Any])?["recoveryCodes"] as? [String])
            #expect(try await app.login(client, "owner@example.com", code: recovery[1]).status == .unauthorized)
            #expect(try await app.login(client, "owner@example.com", code: fresh[0]).status == .ok)

            // Switching it off takes the password and a code.
            let noPassword = try await client.execute(uri: "/api/v1/auth/2fa/disable", method: .post, headers: owner,
                                                      body: ByteBuffer(string: #"{"password":"wrong-password","code":"\#(fresh[1])"}"#))
            #expect(noPassword.status == .unprocessableContent)
            let off = try await client.execute(uri: "/api/v1/auth/2fa/disable", method: .post, headers: owner,
                                               body: ByteBuffer(string: #"{"password":"password-123","code":"\#(fresh[1])"}"#))
            #expect(off.status == .ok)
            #expect(try await app.login(client, "owner@example.com", code: nil).status == .ok)
        }
    }

    /// Five wrong codes lock the second factor — the right code too — for the lock duration,
    /// whatever address they came from; the password's own counter is untouched.
    @Test func wrongCodesLockTheSecondFactor() async throws {
        let clock = TestClock()
        let app = try TestApp.make(["LOGIN_MAX_ATTEMPTS": "5", "LOGIN_LOCK_MINUTES": "15"], clock: clock)
        try await app.run { client in
            let shop = try await app.shop()
            try await app.user("owner@example.com", role: .owner, in: shop)
            let (totp, _) = try await app.enrolTwoFactor(client, "owner@example.com", token: try await app.accessToken(client, "owner@example.com"), clock: clock)
            clock.advance(30)
            for attempt in 1...5 {
                let response = try await app.login(client, "owner@example.com", code: "999999")
                #expect(response.status.code == (attempt == 5 ? 423 : 401), "attempt \(attempt)")
            }
            let locked = try await app.login(client, "owner@example.com", code: totp.code(at: clock.now)!)
            #expect(locked.status.code == 423)
            #expect(try locked.errorCode() == "ACCOUNT_LOCKED")
            clock.advance(15 * 60 + 1)
            #expect(try await app.login(client, "owner@example.com", code: totp.code(at: clock.now)!).status == .ok)
        }
    }

    @Test func aShopCanRequireItOfItsStaff() async throws {
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        try await app.run { client in
            let shop = try await app.shop()
            try await app.user("owner@example.com", role: .owner, in: shop)
            try await app.user("manager@example.com", role: .manager, in: shop)
            try await app.user("ada@example.com", role: .customer, in: shop)
            let ownerToken = try await app.accessToken(client, "owner@example.com")
            let owner = HTTPFields.json(token: ownerToken, tenant: "shop")
            let require = ByteBuffer(string: #"{"value":true}"#)

            let notYet = try await client.execute(uri: "/api/v1/settings/auth.twoFactorRequired", method: .put, headers: owner, body: require)
            #expect(notYet.status == .conflict, "the owner has no second factor yet")
            let notBoolean = try await client.execute(uri: "/api/v1/settings/auth.twoFactorRequired", method: .put, headers: owner,
                                                      body: ByteBuffer(string: #"{"value":"yes"}"#))
            #expect(notBoolean.status == .unprocessableContent)
            let (ownerTOTP, _) = try await app.enrolTwoFactor(client, "owner@example.com", token: ownerToken, clock: clock)
            #expect(try await client.execute(uri: "/api/v1/settings/auth.twoFactorRequired", method: .put, headers: owner, body: require).status == .ok)

            // The manager may sign in, but until they enrol their session holds no permissions.
            let signIn = try await app.signIn(client, "manager@example.com")
            #expect(signIn["twoFactorEnrolmentRequired"] as? Bool == true)
            let manager = HTTPFields.json(token: try #require(signIn["accessToken"] as? String), tenant: "shop")
            let refused = try await client.execute(uri: "/api/v1/users", method: .get, headers: manager)
            #expect(refused.status == .forbidden)
            #expect(try refused.errorCode() == "TWO_FACTOR_ENROLMENT_REQUIRED")
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: manager).status == .ok)
            let status = try #require(try await client.execute(uri: "/api/v1/auth/2fa", method: .get, headers: manager).json()["data"] as? [String: Any])
            #expect(status["required"] as? Bool == true && status["enabled"] as? Bool == false)

            // Enrolling opens the same session at once.
            let (managerTOTP, _) = try await app.enrolTwoFactor(client, "manager@example.com", token: try #require(signIn["accessToken"] as? String), clock: clock)
            #expect(try await client.execute(uri: "/api/v1/users", method: .get, headers: manager).status == .ok)
            // Customers are not asked.
            #expect(try await app.signIn(client, "ada@example.com")["twoFactorEnrolmentRequired"] as? Bool == false)

            // While required it cannot be switched off.
            clock.advance(30)
            let off = try await client.execute(uri: "/api/v1/auth/2fa/disable", method: .post, headers: manager,
                                               body: ByteBuffer(string: #"{"password":"password-123","code":"\#(managerTOTP.code(at: clock.now)!)"}"#))
            #expect(off.status == .conflict)
            #expect(try await app.login(client, "owner@example.com", code: ownerTOTP.code(at: clock.now)!).status == .ok)
        }
    }

    @Test func anAdminResetsALostSecondFactorAndEndsItsSessions() async throws {
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        try await app.run { client in
            let shop = try await app.shop()
            try await app.user("owner@example.com", role: .owner, in: shop)
            let manager = try await app.user("manager@example.com", role: .manager, in: shop)
            try await app.user("ada@example.com", role: .customer, in: shop)
            let managerToken = try await app.accessToken(client, "manager@example.com")
            _ = try await app.enrolTwoFactor(client, "manager@example.com", token: managerToken, clock: clock)
            let managerHeaders = HTTPFields.json(token: managerToken, tenant: "shop")
            let owner = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")

            // A manager lacks users:write; a customer cannot enrol at all.
            let byManager = try await client.execute(uri: "/api/v1/users/\(manager.id.lowercased)/two-factor", method: .delete, headers: managerHeaders)
            #expect(byManager.status == .forbidden)
            let ada = HTTPFields.json(token: try await app.accessToken(client, "ada@example.com"), tenant: "shop")
            let customer = try await client.execute(uri: "/api/v1/auth/2fa/setup", method: .post, headers: ada, body: ByteBuffer(string: #"{"password":"password-123"}"#))
            #expect(customer.status == .forbidden)

            clock.advance(2)
            let reset = try await client.execute(uri: "/api/v1/users/\(manager.id.lowercased)/two-factor", method: .delete, headers: owner)
            #expect(reset.status == .ok)
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: managerHeaders).status == .unauthorized)
            #expect(try await app.login(client, "manager@example.com", code: nil).status == .ok)
            let twice = try await client.execute(uri: "/api/v1/users/\(manager.id.lowercased)/two-factor", method: .delete, headers: owner)
            #expect(twice.status == .notFound)
            let audit = try await client.execute(uri: "/api/v1/audit-logs?action=user.two_factor_reset", method: .get, headers: owner)
            #expect(((try audit.json()["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total"] as? Int == 1)
        }
    }

    @Test func platformOperatorsEnrolAndSignInWithACode() async throws {
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let (totp, recovery) = try await app.enrolTwoFactor(client, "ops@example.com", token: token, clock: clock, prefix: "/api/v1/platform/auth/2fa", tenant: nil)
            func login(_ code: String?) async throws -> TestResponse {
                let field = code.map { #","code":"\#($0)""# } ?? ""
                return try await client.execute(uri: "/api/v1/platform/auth/login", method: .post, headers: .json(),
                                                body: ByteBuffer(string: #"{"email":"ops@example.com","password":"correct horse battery"\#(field)}"#))
            }
            clock.advance(30)
            let noCode = try await login(nil)
            #expect(noCode.status == .unauthorized)
            #expect(try noCode.errorCode() == "TWO_FACTOR_REQUIRED")
            #expect(try await login("000000").status == .unauthorized)
            let code = totp.code(at: clock.now)!
            #expect(try await login(code).status == .ok)
            #expect(try await login(code).status == .unauthorized)
            #expect(try await login(recovery[9]).status == .ok)

            let headers = HTTPFields.json(token: token)
            let status = try #require(try await client.execute(uri: "/api/v1/platform/auth/2fa", method: .get, headers: headers).json()["data"] as? [String: Any])
            #expect(status["enabled"] as? Bool == true && status["recoveryCodesRemaining"] as? Int == 9)
            let off = try await client.execute(uri: "/api/v1/platform/auth/2fa/disable", method: .post, headers: headers,
                                               body: ByteBuffer(string: #"{"password":"correct horse battery","code":"\#(recovery[0])"}"#))
            #expect(off.status == .ok)
            #expect(try await login(nil).status == .ok)
            // Shop routes do not take an operator's token, nor the other way round.
            let shopRoute = try await client.execute(uri: "/api/v1/auth/2fa", method: .get, headers: headers)
            #expect(shopRoute.status.code >= 400)
        }
    }
}
