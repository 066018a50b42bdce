import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// `JWT_SECRET` and `ENCRYPTION_KEY` can be changed without signing everyone out or losing sealed
/// settings: the previous secret keeps working until its configured time, and only until then.
@Suite("Key rotation: kid in every token, the previous secret accepted until its time")
struct KeyRotationTests {
    static let old = String(repeating: "o", count: 40)
    static let new = String(repeating: "n", count: 40)

    static func header(_ token: String) throws -> [String: Any] {
        var part = String(token.split(separator: ".")[0]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while part.count % 4 != 0 { part += "=" }
        let data = try #require(Data(base64Encoded: part))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func tokensSignedWithThePreviousSecretWorkUntilItsTimeThenStop() async throws {
        // Given a token issued under the old secret
        let clock = TestClock()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-rotation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let before = try TestApp.make(["JWT_SECRET": Self.old, "JWT_EXPIRES_IN": "2h"], clock: clock, directory: directory)
        let shop = try await before.shop()
        try await before.user("owner@example.com", role: .owner, in: shop)
        let issued = Mutex<(access: String, operator: String)>(("", ""))
        try await before.run(removingData: false) { client in
            let access = try await before.accessToken(client, "owner@example.com")
            let op = try await before.operatorToken(client)
            #expect(try Self.header(access)["kid"] is String)
            issued.withLock { $0 = (access, op) }
        }
        let (access, operatorToken) = issued.withLock { $0 }

        // When the secret is rotated with the old one kept for an hour
        let until = ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(3600))
        let after = try TestApp.make(["JWT_SECRET": Self.new, "JWT_SECRET_PREVIOUS": Self.old, "JWT_SECRET_PREVIOUS_UNTIL": until, "JWT_EXPIRES_IN": "2h"],
                                     clock: clock, directory: directory)
        try await after.run(removingData: false) { client in
            // Then the old token still works, and new tokens carry the new kid
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: access, tenant: "shop")).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/platform/tenants", method: .get, headers: .json(token: operatorToken)).status == .ok)
            let fresh = try await after.accessToken(client, "owner@example.com")
            #expect(try Self.header(fresh)["kid"] as? String != (try Self.header(access)["kid"] as? String))
            // And once the hour has passed, the old token is refused while the new one still works
            clock.advance(3601)
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: access, tenant: "shop")).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: fresh, tenant: "shop")).status == .ok)
        }
        // Without the previous secret configured, the old token is refused at once
        let plain = try TestApp.make(["JWT_SECRET": Self.new], clock: TestClock(), directory: directory)
        try await plain.run(removingData: false) { client in
            let refused = try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: access, tenant: "shop"))
            #expect(refused.status == .unauthorized)
        }
    }

    @Test func aTokenNamingAnUnknownKidIsRefusedEvenWithAGoodSignature() async throws {
        let app = try TestApp.make(["JWT_SECRET": Self.new])
        let shop = try await app.shop()
        try await app.user("owner@example.com", role: .owner, in: shop)
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            let claims = try jwtClaims(token)
            let forged = try TokenAcceptanceTests().forge(header: #"{"alg":"HS256","typ":"JWT","kid":"hs-000000000000"}"#, claims: claims, secret: Self.new)
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: forged, tenant: "shop")).status == .unauthorized)
            let noKid = try TokenAcceptanceTests().forge(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: claims, secret: Self.new)
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: noKid, tenant: "shop")).status == .ok)
        }
    }

    @Test func settingsSealedWithThePreviousEncryptionKeyOpenUntilResealedAndTheStartChecksTheKey() async throws {
        let clock = TestClock()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-rotation-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Given a payment key sealed under the old ENCRYPTION_KEY
        let before = try TestApp.make(["ENCRYPTION_KEY": Self.old], clock: clock, directory: directory)
        let shop = try await before.shop()
        _ = try await before.deps.settings.put(in: shop, key: "payment.key", value: .string("sk_live_1234"), encrypted: true, by: .commandLine)
        await before.backend.shutdown()
        // A new key alone does not start: the data was sealed with another one
        #expect(throws: ConfigError.self) { _ = try TestApp.make(["ENCRYPTION_KEY": Self.new], clock: clock, directory: directory) }

        // When the key is rotated with the old one kept for a day
        let until = ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(86_400))
        let rotated = try TestApp.make(["ENCRYPTION_KEY": Self.new, "ENCRYPTION_KEY_PREVIOUS": Self.old, "ENCRYPTION_KEY_PREVIOUS_UNTIL": until],
                                       clock: clock, directory: directory)
        #expect(try await rotated.deps.settings.secret(in: shop, key: "payment.key") == .string("sk_live_1234"))
        // Then resealing moves the value to the new key, after which the old one is not needed
        #expect(try await rotated.deps.settings.resealEncrypted(in: shop, by: .commandLine) == 1)
        #expect(try await rotated.deps.settings.resealEncrypted(in: shop, by: .commandLine) == 0)
        await rotated.backend.shutdown()
        let later = try TestApp.make(["ENCRYPTION_KEY": Self.new], clock: clock, directory: directory)
        #expect(try await later.deps.settings.secret(in: shop, key: "payment.key") == .string("sk_live_1234"))
        await later.backend.shutdown()
    }

    @Test func aPreviousSecretNeedsAnEndTime() {
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader(environment: ["EMPORIUM_ENV": "test", "DATA_DIR": "/tmp/unused", "JWT_SECRET_PREVIOUS": Self.old]).load(persistSecrets: false)
        }
        #expect(throws: ConfigError.self) {
            _ = try ConfigLoader(environment: ["EMPORIUM_ENV": "test", "DATA_DIR": "/tmp/unused", "ENCRYPTION_KEY_PREVIOUS": Self.old,
                                               "ENCRYPTION_KEY_PREVIOUS_UNTIL": "next tuesday"]).load(persistSecrets: false)
        }
    }
}
