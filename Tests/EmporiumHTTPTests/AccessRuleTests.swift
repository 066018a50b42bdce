import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// One row of the access table: who calls what, and what they must get.
struct AccessScenario: Sendable, CustomTestStringConvertible {
    let role: Role?
    let method: HTTPRequest.Method
    let path: String
    let body: String?
    let expected: Int

    var testDescription: String { "\(role?.rawValue ?? "anonymous") \(method.rawValue) \(path) → \(expected)" }

    static func table() -> [AccessScenario] {
        let routes: [(HTTPRequest.Method, String, String?, Set<Role>)] = [
            (.get, "/api/v1/users", nil, [.owner, .admin, .manager]),
            (.post, "/api/v1/users", #"{"email":"new-ROLE@example.com","password":"password-123","firstName":"N","lastName":"U","role":"staff"}"#, [.owner, .admin]),
            (.get, "/api/v1/audit-logs", nil, [.owner, .admin, .manager]),
            (.get, "/api/v1/settings", nil, [.owner, .admin, .manager]),
            (.put, "/api/v1/settings/store.name", #"{"value":"My shop"}"#, [.owner, .admin]),
            (.get, "/api/v1/auth/me", nil, [.owner, .admin, .manager, .staff, .customer]),
        ]
        var rows: [AccessScenario] = []
        for (method, path, body, allowed) in routes {
            rows.append(AccessScenario(role: nil, method: method, path: path, body: body, expected: 401))
            for role in Role.allCases {
                let success = method == .post ? 201 : 200
                rows.append(AccessScenario(role: role, method: method, path: path, body: body?.replacingOccurrences(of: "ROLE", with: role.rawValue),
                                           expected: allowed.contains(role) ? success : 403))
            }
        }
        return rows
    }
}

@Suite("Each role's allowed and denied routes")
struct AccessRuleTests {
    @Test(arguments: AccessScenario.table())
    func accessRules(_ scenario: AccessScenario) async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        if let role = scenario.role {
            try await app.user("\(role.rawValue)@example.com", role: role, in: shop)
        }
        try await app.run { client in
            let token = try await scenario.role.asyncMap { try await app.accessToken(client, "\($0.rawValue)@example.com") }
            let response = try await client.execute(
                uri: scenario.path, method: scenario.method, headers: .json(token: token, tenant: "shop"),
                body: scenario.body.map { ByteBuffer(string: $0) }
            )
            #expect(response.status.code == scenario.expected, "\(String(buffer: response.body))")
            if scenario.expected == 403 {
                #expect(try response.errorCode() == "FORBIDDEN")
                #expect(try response.json()["correlationId"] is String)
            }
        }
    }

    @Test func adminsCannotTouchOwnersAndTheLastOwnerStays() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        let owner = try await app.user("owner@example.com", role: .owner, in: shop)
        let admin = try await app.user("admin@example.com", role: .admin, in: shop)
        try await app.run { client in
            let adminToken = try await app.accessToken(client, "admin@example.com")
            let ownerToken = try await app.accessToken(client, "owner@example.com")
            let headers = HTTPFields.json(token: adminToken, tenant: "shop")
            let createOwner = try await client.execute(uri: "/api/v1/users", method: .post, headers: headers, body: ByteBuffer(
                string: #"{"email":"o2@example.com","password":"password-123","firstName":"O","lastName":"Two","role":"owner"}"#))
            #expect(createOwner.status == .forbidden)
            let promote = try await client.execute(uri: "/api/v1/users/\(admin.id.lowercased)", method: .patch, headers: headers,
                                                   body: ByteBuffer(string: #"{"role":"owner"}"#))
            #expect(promote.status == .forbidden)
            let demote = try await client.execute(uri: "/api/v1/users/\(owner.id.lowercased)", method: .patch, headers: headers,
                                                  body: ByteBuffer(string: #"{"role":"staff"}"#))
            #expect(demote.status == .forbidden)
            let deleteOwner = try await client.execute(uri: "/api/v1/users/\(owner.id.lowercased)", method: .delete, headers: headers)
            #expect(deleteOwner.status == .forbidden)

            // Even an owner cannot remove or demote the last owner
            let ownerHeaders = HTTPFields.json(token: ownerToken, tenant: "shop")
            let selfDemote = try await client.execute(uri: "/api/v1/users/\(owner.id.lowercased)", method: .patch, headers: ownerHeaders,
                                                      body: ByteBuffer(string: #"{"role":"admin"}"#))
            #expect(selfDemote.status == .conflict)
            let selfDelete = try await client.execute(uri: "/api/v1/users/\(owner.id.lowercased)", method: .delete, headers: ownerHeaders)
            #expect(selfDelete.status == .conflict)
            // But an owner may promote an admin, after which the first owner can go
            let promoted = try await client.execute(uri: "/api/v1/users/\(admin.id.lowercased)", method: .patch, headers: ownerHeaders,
                                                    body: ByteBuffer(string: #"{"role":"owner"}"#))
            #expect(promoted.status == .ok)
            #expect(try await client.execute(uri: "/api/v1/users/\(owner.id.lowercased)", method: .delete, headers: ownerHeaders).status == .ok)
        }
    }

    @Test func userListSearchesFiltersAndPages() async throws {
        let app = try TestApp.make()
        let shop = try await app.shop()
        try await app.user("owner@example.com", role: .owner, in: shop)
        for index in 1...5 { try await app.user("customer\(index)@example.com", role: .customer, in: shop) }
        try await app.user("percent%@example.com", role: .staff, in: shop)
        try await app.run { client in
            let token = try await app.accessToken(client, "owner@example.com")
            let customers = try await client.execute(uri: "/api/v1/users?role=customer&limit=2&page=3", method: .get, headers: .json(token: token, tenant: "shop"))
            let data = try #require(try customers.json()["data"] as? [String: Any])
            #expect((data["users"] as? [Any])?.count == 1)
            #expect((data["pagination"] as? [String: Any])?["total"] as? Int == 5)
            let search = try await client.execute(uri: "/api/v1/users?search=%25", method: .get, headers: .json(token: token, tenant: "shop"))
            let found = try #require((try search.json()["data"] as? [String: Any])?["users"] as? [[String: Any]])
            #expect(found.map { $0["email"] as? String } == ["percent%@example.com"])
            #expect(try await client.execute(uri: "/api/v1/users?role=king", method: .get, headers: .json(token: token, tenant: "shop")).status == .badRequest)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
