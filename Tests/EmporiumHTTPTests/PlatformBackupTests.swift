import EmporiumCore
import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Platform API: back up and restore a shop while the server runs")
struct PlatformBackupTests {
    @Test func operatorBacksUpChangesAndRestoresAndTheShopAnswersFromTheBackupAtOnce() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let teapot = try await app.product(in: shop, sku: "T", name: "Teapot", price: "19.99")
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let catalog = HTTPFields.json(tenant: "shop")
            // A cached listing before the backup
            #expect(String(buffer: try await client.execute(uri: "/api/v1/products", method: .get, headers: catalog).body).contains("19.99"))

            let created = try await client.execute(uri: "/api/v1/platform/tenants/shop/backups", method: .post, headers: .json(token: token))
            #expect(created.status == .created)
            let backup = try #require(try created.json()["data"] as? [String: Any])
            let file = try #require(backup["file"] as? String)
            #expect(file.hasPrefix("shop-") && file.hasSuffix(".sqlite.gz"))
            #expect((backup["sha256"] as? String)?.count == 64)
            #expect(backup["tenantId"] as? String == shop.lowercased)

            // The price changes after the backup
            var patch = ProductPatch()
            patch.price = Decimal(string: "25.00")
            _ = try await app.deps.catalog.updateProduct(in: shop, id: teapot.id.lowercased, patch, by: .commandLine)
            #expect(String(buffer: try await client.execute(uri: "/api/v1/products", method: .get, headers: catalog).body).contains("25"))

            let listed = try await client.execute(uri: "/api/v1/platform/tenants/shop/backups", method: .get, headers: .json(token: token))
            #expect(((try listed.json()["data"] as? [String: Any])?["backups"] as? [[String: Any]])?.map { $0["file"] as? String } == [file])

            let restored = try await client.execute(uri: "/api/v1/platform/tenants/shop/restore", method: .post, headers: .json(token: token),
                                                    body: ByteBuffer(string: #"{"file":"\#(file)"}"#))
            #expect(restored.status == .ok, "\(String(buffer: restored.body))")
            let result = try #require(try restored.json()["data"] as? [String: Any])
            #expect(result["restoredFrom"] as? String == file)
            #expect((result["previousFileKeptAt"] as? String)?.contains(".pre-restore-") == true)
            // The old price is back at once: the shop's cache was dropped with the restore.
            let after = String(buffer: try await client.execute(uri: "/api/v1/products", method: .get, headers: catalog).body)
            #expect(after.contains("19.99") && !after.contains(#""price":25"#), "\(after)")
        }
    }

    @Test func restoresInTheSameMomentEachKeepTheirOwnCopyOfTheReplacedFile() async throws {
        // Found by schemathesis: the second restore within one second answered 500 (the kept file's name was taken)
        let app = try TestApp.make()
        _ = try await app.shop()
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let created = try await client.execute(uri: "/api/v1/platform/tenants/shop/backups", method: .post, headers: .json(token: token))
            let file = try #require((try created.json()["data"] as? [String: Any])?["file"] as? String)
            var kept: Set<String> = []
            for _ in 1...3 {
                let restored = try await client.execute(uri: "/api/v1/platform/tenants/shop/restore", method: .post, headers: .json(token: token),
                                                        body: ByteBuffer(string: #"{"file":"\#(file)"}"#))
                #expect(restored.status == .ok, "\(String(buffer: restored.body))")
                kept.insert(((try restored.json()["data"] as? [String: Any])?["previousFileKeptAt"] as? String) ?? "")
            }
            #expect(kept.count == 3)
        }
    }

    @Test(arguments: [
        (#"{"file":"../system.sqlite"}"#, HTTPResponse.Status.unprocessableContent),
        (#"{"file":"/etc/passwd"}"#, .unprocessableContent),
        (#"{"file":".hidden.sqlite.gz"}"#, .unprocessableContent),
        (#"{"file":"shop-20200101T000000.000Z.sqlite.gz"}"#, .notFound),
        (#"{}"#, .unprocessableContent),
    ])
    func restoreRefusesPathsOutsideTheBackupFolderAndMissingFiles(_ body: String, _ status: HTTPResponse.Status) async throws {
        let app = try TestApp.make()
        _ = try await app.shop()
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let response = try await client.execute(uri: "/api/v1/platform/tenants/shop/restore", method: .post, headers: .json(token: token),
                                                    body: ByteBuffer(string: body))
            #expect(response.status == status, "\(body): \(String(buffer: response.body))")
            // No answer names a folder of the machine
            #expect(!String(buffer: response.body).contains(app.directory.path), "\(String(buffer: response.body))")
            #expect(!String(buffer: response.body).contains(app.config.backupsDirectory))
        }
    }

    @Test func aDamagedBackupIsRefusedWithoutShowingTheMachinesFolders() async throws {
        let app = try TestApp.make()
        _ = try await app.shop()
        try FileManager.default.createDirectory(atPath: app.config.backupsDirectory, withIntermediateDirectories: true)
        let name = "shop-20200101T000000.000Z.sqlite.gz"
        try Data("not a gzip file".utf8).write(to: URL(fileURLWithPath: app.config.backupsDirectory + "/" + name))
        try await app.run { client in
            let token = try await app.operatorToken(client)
            for force in [false, true] {
                let response = try await client.execute(uri: "/api/v1/platform/tenants/shop/restore", method: .post, headers: .json(token: token),
                                                        body: ByteBuffer(string: #"{"file":"\#(name)","force":\#(force)}"#))
                #expect(response.status == .unprocessableContent, "\(String(buffer: response.body))")
                #expect(!String(buffer: response.body).contains(app.directory.path), "\(String(buffer: response.body))")
            }
        }
    }

    @Test func backupRoutesNeedAnOperatorAndAnExistingShop() async throws {
        let app = try TestApp.make()
        _ = try await app.shop()
        try await app.run { client in
            #expect(try await client.execute(uri: "/api/v1/platform/tenants/shop/backups", method: .post).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/platform/tenants/shop/backups", method: .get).status == .unauthorized)
            let token = try await app.operatorToken(client)
            let missing = try await client.execute(uri: "/api/v1/platform/tenants/nope/backups", method: .post, headers: .json(token: token))
            #expect(missing.status == .notFound)
        }
    }
}

@Suite("Scheduled backups")
struct BackupScheduleTests {
    @Test func theScheduleBacksUpEveryShopEachIntervalAndRecordsTheSuccess() async throws {
        let app = try TestApp.make(["BACKUP_RETENTION": "2"])
        _ = try await app.shop("alpha")
        _ = try await app.shop("beta")
        #expect(app.deps.backups.status.lastSuccess == nil)
        let service = BackupScheduleService(backups: app.deps.backups, interval: 0.05, logger: app.deps.logger)
        let running = Task { try await service.run() }
        defer { running.cancel() }
        // Bounded wait: two rounds for both shops.
        for _ in 0..<400 {
            let alpha = try await app.deps.backups.backups(of: "alpha").count
            let beta = try await app.deps.backups.backups(of: "beta").count
            if alpha == 2 && beta == 2 { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        running.cancel()
        #expect(try await app.deps.backups.backups(of: "alpha").count == 2, "retention keeps two")
        #expect(try await app.deps.backups.backups(of: "beta").count == 2)
        #expect(app.deps.backups.status.lastSuccess != nil)
    }
}
