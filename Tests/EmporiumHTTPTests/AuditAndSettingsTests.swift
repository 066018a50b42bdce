import EmporiumSupport
import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Audit log and encrypted settings")
struct AuditAndSettingsTests {

    @Test func everyMutationWritesOneAuditRowAndNoSecretEverReachesIt() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        try await app.user("owner@example.com", role: .owner, in: shop, password: "owner-secret-pass")
        try await app.run { client in
            let session = try await app.signIn(client, "owner@example.com", password: "owner-secret-pass")
            let token = try #require(session["accessToken"] as? String)
            let refresh = try #require(session["refreshToken"] as? String)
            let headers = HTTPFields.json(token: token, tenant: "shop")
            let created = try await client.execute(uri: "/api/v1/users", method: .post, headers: headers, body: ByteBuffer(
                string: #"{"email":"staff@example.com","password":"staff-secret-pass","firstName":"S","lastName":"T","role":"staff"}"#))
            let staffID = try #require((try created.json()["data"] as? [String: Any])?["id"] as? String)
            // Someone who never signed in still has the key, as null (the document requires it).
            #expect(String(buffer: created.body).contains(#""lastLogin":null"#))
            _ = try await client.execute(uri: "/api/v1/users/\(staffID)", method: .patch, headers: headers,
                                         body: ByteBuffer(string: #"{"password":"changed-secret-pass","role":"manager"}"#))
            _ = try await client.execute(uri: "/api/v1/settings/payments.apiKey", method: .put, headers: headers,
                                         body: ByteBuffer(string: #"{"value":"sk_live_TOPSECRET","encrypted":true}"#))
            _ = try await client.execute(uri: "/api/v1/settings/store.name", method: .put, headers: headers,
                                         body: ByteBuffer(string: #"{"value":"Corner Shop"}"#))
            _ = try await client.execute(uri: "/api/v1/settings/store.name", method: .delete, headers: headers)
            _ = try await client.execute(uri: "/api/v1/users/\(staffID)", method: .delete, headers: headers)

            let response = try await client.execute(uri: "/api/v1/audit-logs?limit=100", method: .get, headers: headers)
            let data = try #require(try response.json()["data"] as? [String: Any])
            let entries = try #require(data["auditLogs"] as? [[String: Any]])
            let actions = entries.compactMap { $0["action"] as? String }
            for action in ["user.created", "user.updated", "setting.created", "setting.deleted", "user.deleted", "auth.login"] {
                // two users (the owner by the command line, the staff member by the API) and two settings were created
                let expected = ["setting.created", "user.created"].contains(action) ? 2 : 1
                #expect(actions.filter { $0 == action }.count == expected, "\(action): \(actions)")
            }
            let created_ = try #require(entries.first { $0["action"] as? String == "user.created" })
            #expect(created_["userId"] as? String != nil)
            #expect(created_["resourceId"] as? String == staffID)

            // No password, hash, token or secret anywhere in the log
            let everything = String(buffer: response.body)
            for secret in ["owner-secret-pass", "staff-secret-pass", "changed-secret-pass", "sk_live_TOPSECRET", "$2", token, refresh] {
                #expect(!everything.contains(secret), "audit log contains \(secret.prefix(12))")
            }

            let filtered = try await client.execute(uri: "/api/v1/audit-logs?resourceType=setting&action=setting.deleted", method: .get, headers: headers)
            #expect(((try filtered.json()["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total"] as? Int == 1)
            let badRange = try await client.execute(uri: "/api/v1/audit-logs?from=2030-01-01&to=2020-01-01", method: .get, headers: headers)
            #expect(badRange.status == .badRequest)
        }
    }

    @Test func anEncryptedSettingIsMaskedInTheAPIAndUnreadableInTheFileWithSQLite3() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        try await app.user("owner@example.com", role: .owner, in: shop)
        try await app.run { client in
            let headers = HTTPFields.json(token: try await app.accessToken(client, "owner@example.com"), tenant: "shop")
            let put = try await client.execute(uri: "/api/v1/settings/payments.apiKey", method: .put, headers: headers,
                                               body: ByteBuffer(string: #"{"value":{"key":"sk_live_TOPSECRET"},"encrypted":true}"#))
            #expect(put.status == .ok)
            let listed = try await client.execute(uri: "/api/v1/settings", method: .get, headers: headers)
            let settings = try #require((try listed.json()["data"] as? [String: Any])?["settings"] as? [[String: Any]])
            #expect(settings.first?["value"] as? String == "********")
            #expect(settings.first?["encrypted"] as? Bool == true)
            #expect(!String(buffer: listed.body).contains("TOPSECRET"))
            // The server itself can still open it
            #expect(try await app.deps.settings.secret(in: shop, key: "payments.apiKey") == .object(["key": .string("sk_live_TOPSECRET")]))

            // Read the shop's file with the sqlite3 tool, as someone with a copy of the disk would
            let path = await app.backend.registry.path(for: shop)
            let dump = try Self.runSQLite3(path, "SELECT key, value, is_encrypted FROM system_config;")
            #expect(dump.contains("payments.apiKey"))
            #expect(dump.contains("v1:"))
            #expect(!dump.contains("TOPSECRET"))
            let whole = try Self.runSQLite3(path, ".dump")
            #expect(whole.contains("CREATE TABLE"))
            #expect(!whole.contains("TOPSECRET"))
        }
    }

    static func runSQLite3(_ path: String, _ command: String) throws -> String {
        let sqlite3 = try ChildProcess.run("/usr/bin/env", ["sqlite3", path, command], captureOutput: true, keep: 64 << 20)
        guard sqlite3.status == 0 else { throw TestFailure("sqlite3 failed (is the sqlite3 package installed?)") }
        return String(decoding: sqlite3.output, as: UTF8.self)
    }
}
