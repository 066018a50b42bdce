import EmporiumCore
import EmporiumHTTP
import EmporiumObservability
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Platform operators sign in; their routes refuse everyone else")
struct PlatformAuthTests {
    @Test func loginAnswersTheTokenShape() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            _ = try await app.deps.operators.create(email: "Ops@Example.com", password: "correct horse battery")
            let response = try await client.execute(
                uri: "/api/v1/platform/auth/login", method: .post, headers: .json(),
                body: ByteBuffer(string: #"{"email":"ops@example.com","password":"correct horse battery"}"#)
            )
            #expect(response.status == .ok)
            let data = try #require(try response.json()["data"] as? [String: Any])
            #expect(data["tokenType"] as? String == "Bearer")
            #expect(data["expiresIn"] as? Int == 900)
            #expect(data.keys.contains("refreshToken"))
            let user = try #require(data["user"] as? [String: Any])
            #expect(user["role"] as? String == "platform_admin")
            #expect(user["email"] as? String == "ops@example.com")
        }
    }

    @Test func wrongPasswordAndUnknownEmailGiveTheSameAnswer() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            _ = try await app.deps.operators.create(email: "ops@example.com", password: "correct horse battery")
            var bodies: [String] = []
            for body in [#"{"email":"ops@example.com","password":"wrong password"}"#, #"{"email":"nobody@example.com","password":"wrong password"}"#] {
                let response = try await client.execute(uri: "/api/v1/platform/auth/login", method: .post, headers: .json(), body: ByteBuffer(string: body))
                #expect(response.status == .unauthorized)
                let error = try #require(try response.json()["error"] as? [String: Any])
                bodies.append("\(error["code"] ?? "")|\(error["message"] ?? "")")
            }
            #expect(bodies[0] == bodies[1])
        }
    }

    @Test func fiveFailuresLockTheAccountEvenForTheRightPassword() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            _ = try await app.deps.operators.create(email: "ops@example.com", password: "correct horse battery")
            var statuses: [Int] = []
            for _ in 1...5 {
                let response = try await client.execute(
                    uri: "/api/v1/platform/auth/login", method: .post, headers: .json(),
                    body: ByteBuffer(string: #"{"email":"ops@example.com","password":"nope nope nope"}"#)
                )
                statuses.append(response.status.code)
            }
            #expect(statuses == [401, 401, 401, 401, 423])
            let right = try await client.execute(
                uri: "/api/v1/platform/auth/login", method: .post, headers: .json(),
                body: ByteBuffer(string: #"{"email":"ops@example.com","password":"correct horse battery"}"#)
            )
            #expect(right.status.code == 423)
            #expect(try right.errorCode() == "ACCOUNT_LOCKED")
            #expect(right.headers[.retryAfter] != nil)
        }
    }

    @Test(arguments: [
        ("none", nil as String?),
        ("garbage", "Bearer not.a.token"),
        ("alg none", "Bearer " + PlatformAuthTests.unsignedToken()),
        ("basic", "Basic b3BzOnBhc3M="),
    ])
    func platformRoutesRefuseMissingOrForgedTokens(_ name: String, _ authorization: String?) async throws {
        let app = try TestApp.make()
        try await app.run { client in
            var headers = HTTPFields()
            if let authorization { headers[.authorization] = authorization }
            let response = try await client.execute(uri: "/api/v1/platform/tenants", method: .get, headers: headers)
            #expect(response.status == .unauthorized, "\(name)")
            #expect(try response.errorCode() == "UNAUTHORIZED")
        }
    }

    @Test func tokenSignedWithAnotherSecretIsRefused() async throws {
        let other = try TestApp.make()
        let app = try TestApp.make()
        try await other.run { otherClient in
            let foreign = try await other.operatorToken(otherClient)
            try await app.run { client in
                let response = try await client.execute(uri: "/api/v1/platform/tenants", method: .get, headers: .json(token: foreign))
                #expect(response.status == .unauthorized)
            }
        }
    }

    /// A token claiming to be a platform admin with `alg: none` and no signature.
    static func unsignedToken() -> String {
        func encode(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        let exp = Int(Date().timeIntervalSince1970) + 600
        let payload = #"{"sub":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","email":"x@y.z","role":"platform_admin","permissions":[],"iat":1,"exp":\#(exp)}"#
        return encode(#"{"alg":"none","typ":"JWT"}"#) + "." + encode(payload) + "."
    }
}
