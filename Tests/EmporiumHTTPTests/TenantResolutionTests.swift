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

@Suite("Requests find their shop by X-Tenant-ID, subdomain or custom domain")
struct TenantResolutionTests {
    /// Host-based resolution is covered by `TenantDirectoryTests` and the end-to-end tests: the router
    /// test client always sends `localhost` as the authority.
    @Test func resolvesByHeaderUUIDOrSubdomain() async throws {
        let app = try TestApp.make(["BASE_DOMAIN": "shops.example.com"])
        let tenant = try await app.deps.tenants.create(NewTenant(name: "Gamma", subdomain: "gamma", domain: "www.gamma.example"))
        try await app.run { client in
            let variants: [HTTPFields] = [
                [HTTPField.Name("X-Tenant-ID")!: tenant.id.uuidString],
                [HTTPField.Name("X-Tenant-ID")!: "GAMMA"],
                [HTTPField.Name("X-Tenant-ID")!: " gamma "],
            ]
            for headers in variants {
                let response = try await client.execute(uri: "/api/v1/shop", method: .get, headers: headers)
                #expect(response.status == .ok, "\(headers)")
                let data = try #require(try response.json()["data"] as? [String: Any])
                #expect(data["id"] as? String == tenant.id.uuidString.lowercased())
            }
        }
    }

    @Test(arguments: [
        [HTTPField.Name("X-Tenant-ID")!: "nope"],
        [HTTPField.Name("X-Tenant-ID")!: "3f2504e0-4f89-11d3-9a0c-0305e82c3301"],
        [HTTPField.Name("X-Tenant-ID")!: "'; DROP TABLE tenants; --"],
        HTTPFields(),
    ])
    func unknownTenantIs404TenantNotFound(_ headers: HTTPFields) async throws {
        let app = try TestApp.make(["BASE_DOMAIN": "shops.example.com"])
        _ = try await app.deps.tenants.create(NewTenant(name: "Gamma", subdomain: "gamma"))
        try await app.run { client in
            let response = try await client.execute(uri: "/api/v1/shop", method: .get, headers: headers)
            #expect(response.status == .notFound)
            #expect(try response.errorCode() == "TENANT_NOT_FOUND")
        }
    }

    @Test func suspendedTenantIs403UntilActivatedAgain() async throws {
        let app = try TestApp.make()
        _ = try await app.deps.tenants.create(NewTenant(name: "Delta", subdomain: "delta"))
        try await app.run { client in
            let headers: HTTPFields = [HTTPField.Name("X-Tenant-ID")!: "delta"]
            #expect(try await client.execute(uri: "/api/v1/shop", method: .get, headers: headers).status == .ok)
            _ = try await app.deps.tenants.setStatus("delta", to: .suspended)
            let suspended = try await client.execute(uri: "/api/v1/shop", method: .get, headers: headers)
            #expect(suspended.status == .forbidden)
            #expect(try suspended.errorCode() == "TENANT_SUSPENDED")
            _ = try await app.deps.tenants.setStatus("delta", to: .active)
            #expect(try await client.execute(uri: "/api/v1/shop", method: .get, headers: headers).status == .ok)
        }
    }
}
