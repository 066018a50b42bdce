import Crypto
import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// What `emporium fleet move` and `fleet failover` ask of a node: freeze one shop's writes, hand out
/// its file, take a shop in from a file or from a standby's copy of another node's backups.
@Suite("Platform API: a shop frozen, exported and imported on another node")
struct PlatformShopMoveTests {
    static let checksum = HTTPField.Name("X-Content-SHA256")!

    @Test func aFrozenShopRefusesWritesOnlyForItselfWhileReadsGoOnAndItsFileArrivesWholeOnAnotherNode() async throws {
        let source = try TestApp.make()
        let (shop, _) = try await source.commerceShop()
        try await source.product(in: shop, sku: "T", name: "Teapot", price: "19.99")
        let other = try await source.shop("other")
        try await source.user("clerk@example.com", role: .staff, in: other)
        let exported = ExportBox()
        try await source.run { client in
            let token = try await source.operatorToken(client)
            let frozen = try await client.execute(uri: "/api/v1/platform/tenants/shop/freeze", method: .put, headers: .json(token: token),
                                                  body: ByteBuffer(string: #"{"seconds":120}"#))
            #expect(frozen.status == .ok, "\(String(buffer: frozen.body))")
            #expect(((try frozen.json()["data"] as? [String: Any])?["frozenUntil"] as? String) != nil)

            let write = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: .json(tenant: "shop"),
                                                 body: ByteBuffer(string: #"{"email":"owner@example.com","password":"password-123"}"#))
            #expect(write.status == .serviceUnavailable)
            #expect(try write.errorCode() == "SHOP_MOVING")
            let retry = try #require(write.headers[.retryAfter].flatMap(Int.init))
            #expect((1...30).contains(retry))
            #expect(try await client.execute(uri: "/api/v1/products", method: .get, headers: .json(tenant: "shop")).status == .ok, "reads go on")
            let elsewhere = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: .json(tenant: "other"),
                                                     body: ByteBuffer(string: #"{"email":"clerk@example.com","password":"password-123"}"#))
            #expect(elsewhere.status == .ok, "another shop's writes go through")

            let status = try await client.execute(uri: "/api/v1/platform/tenants/shop/freeze", method: .get, headers: .json(token: token))
            #expect(((try status.json()["data"] as? [String: Any])?["frozenUntil"] as? String) != nil)

            let export = try await client.execute(uri: "/api/v1/platform/tenants/shop/export", method: .get, headers: .json(token: token))
            #expect(export.status == .ok && export.headers[.contentType] == "application/gzip")
            let body = Data(export.body.readableBytesView)
            let digest = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
            #expect(export.headers[Self.checksum] == digest)
            exported.set(body, digest)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: source.config.backupsDirectory + "/.exports")) ?? []).isEmpty,
                    "the staged export does not stay behind")

            let thawed = try await client.execute(uri: "/api/v1/platform/tenants/shop/freeze", method: .delete, headers: .json(token: token))
            #expect(thawed.status == .ok)
            let unfrozen = try #require(try thawed.json()["data"] as? [String: Any])
            #expect(unfrozen["frozenUntil"] is NSNull, "the key is there, as null (the OpenAPI document requires it)")
            let again = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: .json(tenant: "shop"),
                                                 body: ByteBuffer(string: #"{"email":"owner@example.com","password":"password-123"}"#))
            #expect(again.status == .ok, "writes go through once thawed")
        }

        let target = try TestApp.make()
        let (file, digest) = exported.get()
        try await target.run { client in
            let token = try await target.operatorToken(client)
            var headers = HTTPFields.json(token: token)
            headers[.contentType] = "application/gzip"
            headers[Self.checksum] = String(repeating: "0", count: 64)
            let damaged = try await client.execute(uri: "/api/v1/platform/tenants/import", method: .post, headers: headers, body: ByteBuffer(bytes: file))
            #expect(damaged.status == .unprocessableContent, "\(String(buffer: damaged.body))")
            #expect(try await client.execute(uri: "/api/v1/shop", method: .get, headers: .json(tenant: "shop")).status == .notFound, "nothing half-made")

            headers[Self.checksum] = digest
            let imported = try await client.execute(uri: "/api/v1/platform/tenants/import", method: .post, headers: headers, body: ByteBuffer(bytes: file))
            #expect(imported.status == .created, "\(String(buffer: imported.body))")
            let data = try #require(try imported.json()["data"] as? [String: Any])
            #expect((data["tenant"] as? [String: Any])?["id"] as? String == shop.lowercased)
            #expect(data["sha256"] as? String == digest)
            #expect(data["backupTakenAt"] is NSNull, "an upload is no backup: null, not left out")
            let listing = try await client.execute(uri: "/api/v1/products", method: .get, headers: .json(tenant: "shop"))
            #expect(String(buffer: listing.body).contains("Teapot"), "the shop answers on its new node with its data")
            #expect(!String(buffer: imported.body).contains(target.config.dataDirectory))

            let twice = try await client.execute(uri: "/api/v1/platform/tenants/import", method: .post, headers: headers, body: ByteBuffer(bytes: file))
            #expect(twice.status == .conflict)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: target.config.backupsDirectory + "/.incoming")) ?? []).isEmpty)
        }
    }

    @Test func aStandbyBringsUpAShopFromTheNewestShippedBackupOfIt() async throws {
        let lost = try TestApp.make()
        let shop = try await lost.shop("acme")
        try await lost.product(in: shop, sku: "OLD", name: "Old kettle")
        let standby = try TestApp.make()
        let folder = standby.config.backupsDirectory + "/node-a"
        _ = try await lost.deps.backups.backup("acme", into: folder)
        try await lost.product(in: shop, sku: "NEW", name: "New kettle")
        try await Task.sleep(for: .milliseconds(5))
        let newest = try await lost.deps.backups.backup("acme", into: folder)
        try await standby.run { client in
            let token = try await standby.operatorToken(client)
            for (body, status) in [(#"{"folder":"../x","shop":"acme"}"#, HTTPResponse.Status.unprocessableContent),
                                   (#"{"folder":"node-a","shop":"a/b"}"#, .unprocessableContent),
                                   (#"{"folder":"node-b","shop":"acme"}"#, .notFound),
                                   (#"{"folder":"node-a","shop":"nobody"}"#, .notFound)] {
                let refused = try await client.execute(uri: "/api/v1/platform/tenants/import", method: .post, headers: .json(token: token),
                                                       body: ByteBuffer(string: body))
                #expect(refused.status == status, "\(body): \(String(buffer: refused.body))")
            }
            let imported = try await client.execute(uri: "/api/v1/platform/tenants/import", method: .post, headers: .json(token: token),
                                                    body: ByteBuffer(string: #"{"folder":"node-a","shop":"acme"}"#))
            #expect(imported.status == .created, "\(String(buffer: imported.body))")
            let data = try #require(try imported.json()["data"] as? [String: Any])
            #expect(data["sha256"] as? String == newest.sha256)
            let taken = try #require((data["backupTakenAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(taken.timeIntervalSince(newest.createdAt)) < 1)
            let listing = String(buffer: try await client.execute(uri: "/api/v1/products", method: .get, headers: .json(tenant: "acme")).body)
            #expect(listing.contains("New kettle"), "the newest backup, not an older one")
        }
    }

    @Test func onlyOperatorsFreezeAndTheFreezeIsBounded() async throws {
        let app = try TestApp.make()
        _ = try await app.shop()
        try await app.run { client in
            #expect(try await client.execute(uri: "/api/v1/platform/tenants/shop/freeze", method: .put, headers: .json(),
                                             body: ByteBuffer(string: #"{"seconds":60}"#)).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/platform/tenants/import", method: .post, headers: [.contentType: "application/gzip"],
                                             body: ByteBuffer(string: "x")).status == .unauthorized)
            let token = try await app.operatorToken(client)
            for seconds in ["0", "-1", "3601", "9223372036854775807", "\"60\""] {
                let refused = try await client.execute(uri: "/api/v1/platform/tenants/shop/freeze", method: .put, headers: .json(token: token),
                                                       body: ByteBuffer(string: #"{"seconds":\#(seconds)}"#))
                #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(seconds): \(refused.status)")
            }
            #expect(try await client.execute(uri: "/api/v1/platform/tenants/nobody/freeze", method: .put, headers: .json(token: token),
                                             body: ByteBuffer(string: #"{"seconds":60}"#)).status == .notFound)
            var headers = HTTPFields.json(token: token)
            headers[.contentType] = "application/gzip"
            let unsigned = try await client.execute(uri: "/api/v1/platform/tenants/import", method: .post, headers: headers, body: ByteBuffer(string: "x"))
            #expect(unsigned.status == .unprocessableContent, "no checksum, no import")
            headers[.contentType] = "text/plain"
            #expect(try await client.execute(uri: "/api/v1/platform/tenants/import", method: .post, headers: headers,
                                             body: ByteBuffer(string: "x")).status == .unsupportedMediaType)
        }
    }
}

/// The export's bytes, carried from one app's run to the next.
final class ExportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data, String) = (Data(), "")
    func set(_ data: Data, _ digest: String) { lock.withLock { value = (data, digest) } }
    func get() -> (Data, String) { lock.withLock { value } }
}
