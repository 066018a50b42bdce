import Crypto
import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import Testing

@Suite("Only genuine, current, same-shop tokens are accepted")
struct TokenAcceptanceTests {
    func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A token with the given header and claims, signed with HMAC-SHA384 or -256 under `secret`, or unsigned.
    func forge(header: String, claims: [String: Any], secret: String?, sha384: Bool = false) throws -> String {
        let input = base64URL(Data(header.utf8)) + "." + base64URL(try JSONSerialization.data(withJSONObject: claims))
        guard let secret else { return input + "." }
        let key = SymmetricKey(data: Data(secret.utf8))
        let signature = sha384 ? Data(HMAC<SHA384>.authenticationCode(for: Data(input.utf8), using: key))
            : Data(HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key))
        return input + "." + base64URL(signature)
    }

    @Test func tamperedExpiredAlgNoneOtherAlgorithmAndOtherShopTokensAreRefused() async throws {
        let clock = TestClock()
        let app = try TestApp.make(clock: clock)
        let shopA = try await app.shop("alpha")
        _ = try await app.shop("beta")
        let owner = try await app.user("owner@example.com", role: .owner, in: shopA)
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com", in: "alpha")
            var claims = try jwtClaims(token)
            #expect(try await client.execute(uri: "/api/v1/users", method: .get, headers: .json(token: token, tenant: "alpha")).status == .ok)

            // A valid token of shop A sent to shop B: 403, whatever X-Tenant-ID says
            let crossShop = try await client.execute(uri: "/api/v1/users", method: .get, headers: .json(token: token, tenant: "beta"))
            #expect(crossShop.status == .forbidden)

            // Tampered: claims changed after signing
            let parts = token.split(separator: ".").map(String.init)
            claims["role"] = "owner"
            claims["email"] = "mallory@example.com"
            let tampered = parts[0] + "." + base64URL(try JSONSerialization.data(withJSONObject: claims)) + "." + parts[2]
            // alg none, and HS384 with the real secret (another algorithm)
            let none = try forge(header: #"{"alg":"none","typ":"JWT"}"#, claims: claims, secret: nil)
            let hs384 = try forge(header: #"{"alg":"HS384","typ":"JWT"}"#, claims: claims, secret: app.config.jwtSecret, sha384: true)
            // Signed with the wrong secret
            let wrongKey = try forge(header: #"{"alg":"HS256","typ":"JWT"}"#, claims: claims, secret: "not-the-secret-of-this-installation")
            for forged in [tampered, none, hs384, wrongKey, "garbage"] {
                let response = try await client.execute(uri: "/api/v1/users", method: .get, headers: .json(token: forged, tenant: "alpha"))
                #expect(response.status == .unauthorized, "\(forged.prefix(30))")
                #expect(try response.errorCode() == "UNAUTHORIZED")
            }

            // Expired: past JWT_EXPIRES_IN on the application's clock
            clock.advance(3601)
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: token, tenant: "alpha")).status == .unauthorized)
            _ = owner
        }
    }

    @Test func aDeletedUsersTokenStopsWorkingAtOnce() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        try await app.user("owner@example.com", role: .owner, in: shop)
        let staff = try await app.user("staff@example.com", role: .staff, in: shop)
        try await app.run { client in
            let staffToken = try await app.accessToken(client, "staff@example.com")
            let ownerToken = try await app.accessToken(client, "owner@example.com")
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: staffToken, tenant: "shop")).status == .ok)
            let deleted = try await client.execute(uri: "/api/v1/users/\(staff.id.lowercased)", method: .delete, headers: .json(token: ownerToken, tenant: "shop"))
            #expect(deleted.status == .ok)
            #expect(try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: staffToken, tenant: "shop")).status == .unauthorized)
        }
    }

    @Test func aPlatformTokenIsNotAShopToken() async throws {
        let app = try TestApp.make()
        _ = try await app.shop()
        try await app.run { client in
            let platform = try await app.operatorToken(client)
            let response = try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: .json(token: platform, tenant: "shop"))
            #expect(response.status == .unauthorized)
        }
    }
}
