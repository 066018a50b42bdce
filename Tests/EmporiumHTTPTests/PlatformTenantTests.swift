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

@Suite("Platform API: operators create, change and delete shops")
struct PlatformTenantTests {
    @Test func createdTenantHasItsOwnMigratedDatabaseFile() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            // Given an operator
            let token = try await app.operatorToken(client)
            // When a shop is created
            let response = try await client.execute(
                uri: "/api/v1/platform/tenants", method: .post, headers: .json(token: token),
                body: ByteBuffer(string: #"{"name":"Acme Outdoor","subdomain":"Acme","domain":"shop.acme.example","plan":"pro"}"#)
            )
            // Then it answers 201 in the documented shape, normalised, and its file exists
            #expect(response.status == .created)
            let data = try #require(try response.json()["data"] as? [String: Any])
            #expect(data["subdomain"] as? String == "acme")
            #expect(data["domain"] as? String == "shop.acme.example")
            #expect(data["plan"] as? String == "pro")
            #expect(data["status"] as? String == "active")
            #expect(data["settings"] is [String: Any])
            let id = try #require(data["id"] as? String)
            #expect(FileManager.default.fileExists(atPath: app.config.tenantsDirectory + "/\(id).sqlite"))
        }
    }

    @Test func duplicateSubdomainOrDomainIs409() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let token = try await app.operatorToken(client)
            for body in [#"{"name":"A","subdomain":"alpha","domain":"alpha.example.com"}"#, #"{"name":"B","subdomain":"ALPHA"}"#,
                         #"{"name":"C","subdomain":"gamma","domain":"Alpha.Example.com"}"#] {
                _ = try await client.execute(uri: "/api/v1/platform/tenants", method: .post, headers: .json(token: token), body: ByteBuffer(string: body))
            }
            let list = try await client.execute(uri: "/api/v1/platform/tenants", method: .get, headers: .json(token: token))
            let data = try #require(try list.json()["data"] as? [String: Any])
            #expect((data["tenants"] as? [Any])?.count == 1)
            let again = try await client.execute(
                uri: "/api/v1/platform/tenants", method: .post, headers: .json(token: token), body: ByteBuffer(string: #"{"name":"B","subdomain":"alpha"}"#)
            )
            #expect(again.status == .conflict)
            #expect(try again.errorCode() == "CONFLICT")
            // and no orphan database file was left behind by the refused attempts
            let files = try FileManager.default.contentsOfDirectory(atPath: app.config.tenantsDirectory).filter { $0.hasSuffix(".sqlite") }
            #expect(files.count == 1)
        }
    }

    @Test(arguments: [
        (#"{"name":"","subdomain":"ok"}"#, "name"),
        (#"{"name":"X","subdomain":"-bad"}"#, "subdomain"),
        (#"{"name":"X","subdomain":"has_underscore"}"#, "subdomain"),
        (#"{"name":"X","subdomain":"www"}"#, "subdomain"),
        (#"{"name":"X","subdomain":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}"#, "subdomain"),
        (#"{"name":"X","subdomain":"ok","domain":"localhost"}"#, "domain"),
        (#"{"name":"X","subdomain":"ok","domain":"10.0.0.1"}"#, "domain"),
        (#"{"name":"X","subdomain":"ok","plan":"has space"}"#, "plan"),
        (#"{"name":"X","subdomain":"ok","settings":[1]}"#, "settings"),
    ])
    func invalidTenantInputIs422NamingTheField(_ body: String, _ field: String) async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let response = try await client.execute(
                uri: "/api/v1/platform/tenants", method: .post, headers: .json(token: token), body: ByteBuffer(string: body)
            )
            #expect(response.status == .unprocessableContent)
            let error = try #require(try response.json()["error"] as? [String: Any])
            let fields = (error["details"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
            #expect(fields.contains(field), "details: \(fields)")
        }
    }

    @Test func patchSuspendsAndClearsDomainThenDeleteArchives() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let created = try await client.execute(
                uri: "/api/v1/platform/tenants", method: .post, headers: .json(token: token),
                body: ByteBuffer(string: #"{"name":"Beta","subdomain":"beta","domain":"beta.example.org","settings":{"currency":"EUR"}}"#)
            )
            let id = try #require((try created.json()["data"] as? [String: Any])?["id"] as? String)

            let patched = try await client.execute(
                uri: "/api/v1/platform/tenants/beta", method: .patch, headers: .json(token: token),
                body: ByteBuffer(string: #"{"status":"suspended","domain":null,"settings":{"timezone":"Europe/Paris"}}"#)
            )
            #expect(patched.status == .ok)
            let data = try #require(try patched.json()["data"] as? [String: Any])
            #expect(data["status"] as? String == "suspended")
            #expect(data["domain"] is NSNull)
            let settings = try #require(data["settings"] as? [String: Any])
            #expect(settings["currency"] as? String == "EUR")
            #expect(settings["timezone"] as? String == "Europe/Paris")

            let deleted = try await client.execute(uri: "/api/v1/platform/tenants/\(id)", method: .delete, headers: .json(token: token))
            #expect(deleted.status == .ok)
            let archive = try #require((try deleted.json()["data"] as? [String: Any])?["archive"] as? String)
            #expect(FileManager.default.fileExists(atPath: app.config.backupsDirectory + "/deleted/" + archive))
            #expect(!FileManager.default.fileExists(atPath: app.config.tenantsDirectory + "/\(id).sqlite"))
            let gone = try await client.execute(uri: "/api/v1/platform/tenants/\(id)", method: .get, headers: .json(token: token))
            #expect(gone.status == .notFound)
        }
    }

    @Test func listIsPaginatedAndRejectsOutOfRangeLimits() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let token = try await app.operatorToken(client)
            for index in 1...3 {
                _ = try await app.deps.tenants.create(NewTenant(name: "Shop \(index)", subdomain: "shop\(index)"))
            }
            let page = try await client.execute(uri: "/api/v1/platform/tenants?limit=2&page=2", method: .get, headers: .json(token: token))
            let data = try #require(try page.json()["data"] as? [String: Any])
            #expect((data["tenants"] as? [Any])?.count == 1)
            let pagination = try #require(data["pagination"] as? [String: Any])
            #expect(pagination["total"] as? Int == 3)
            #expect(pagination["totalPages"] as? Int == 2)
            #expect(pagination["hasPrev"] as? Bool == true)
            #expect(pagination["hasNext"] as? Bool == false)
            let tooMany = try await client.execute(uri: "/api/v1/platform/tenants?limit=101", method: .get, headers: .json(token: token))
            #expect(tooMany.status == .badRequest)
        }
    }
}
