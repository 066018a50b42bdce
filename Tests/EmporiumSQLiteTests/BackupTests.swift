import EmporiumSupport
import EmporiumCore
@testable import EmporiumSQLite
import Foundation
import GRDB
import Synchronization
import TestScratch
import Testing

@Suite("Backups: consistent while orders are written, verified before any restore")
struct BackupTests {
    struct Shop {
        let backend: SQLiteBackend
        let tenant: Tenant
        let config: AppConfig
    }

    func shop(_ subdomain: String = "shop", config: AppConfig? = nil) async throws -> Shop {
        let config = try config ?? temporaryConfig()
        let backend = try SQLiteBackend(config: config)
        let tenants = TenantService(store: backend.tenants, provisioner: backend.provisioner, directory: TenantDirectory(store: backend.tenants))
        let tenant = try await tenants.create(NewTenant(name: subdomain.capitalized, subdomain: subdomain))
        return Shop(backend: backend, tenant: tenant, config: config)
    }

    /// One order row, acknowledged when this returns (the transaction committed).
    func placeOrder(_ shop: Shop, number: Int) async throws {
        try await shop.backend.registry.withDatabase(shop.tenant.id) { database in
            try await database.write { db in
                try db.execute(sql: """
                    INSERT INTO orders (id, number, status, payment_method, currency, subtotal_minor, total_minor, created_at, updated_at)
                    VALUES (?, ?, 'pending', 'manual', 'USD', 1999, 1999, '2026-11-25 12:00:00.000', '2026-11-25 12:00:00.000')
                    """, arguments: [UUID().uuidString.lowercased(), number])
            }
        }
    }

    func orderNumbers(_ shop: Shop) async throws -> [Int] {
        try await shop.backend.registry.withDatabase(shop.tenant.id) { database in
            try await database.read { db in try Int.fetchAll(db, sql: "SELECT number FROM orders ORDER BY number") }
        }
    }

    @Test func aBackupTakenWhileOrdersAreWrittenRestoresEveryOrderAcknowledgedBeforeItBegan() async throws {
        let shop = try await shop()
        let acknowledged = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let writer = Task {
            var number = 1001
            while !stop.load(ordering: .relaxed) {
                try await placeOrder(shop, number: number)
                acknowledged.store(number - 1000, ordering: .sequentiallyConsistent)
                number += 1
            }
        }
        while acknowledged.load(ordering: .sequentiallyConsistent) < 50 { try await Task.sleep(for: .milliseconds(5)) }

        // When a backup starts while the writer keeps going
        let beforeBackup = acknowledged.load(ordering: .sequentiallyConsistent)
        let record = try await shop.backend.backups.backup(shop.tenant, into: nil)
        let target = acknowledged.load(ordering: .sequentiallyConsistent) + 30
        while acknowledged.load(ordering: .sequentiallyConsistent) < target { try await Task.sleep(for: .milliseconds(5)) }
        stop.store(true, ordering: .sequentiallyConsistent)
        try await writer.value
        let written = acknowledged.load(ordering: .sequentiallyConsistent)

        // Then the file and its manifest agree, and restoring it brings back every order acknowledged before it
        #expect(record.file.hasSuffix(".sqlite.gz"))
        #expect(try String(contentsOfFile: record.file + ".sha256", encoding: .utf8) == "\(record.sha256)  \((record.file as NSString).lastPathComponent)\n")
        #expect(try SQLiteTenantBackups.sha256(of: record.file) == record.sha256)
        let result = try await shop.backend.backups.restore(shop.tenant, from: record.file, force: false)
        #expect(FileManager.default.fileExists(atPath: result.previousFileKeptAt))
        let restored = try await orderNumbers(shop)
        #expect(restored.count >= beforeBackup)
        #expect(restored.count < written, "the restore should have rolled back the orders written after the backup")
        #expect(restored == Array(1001..<(1001 + restored.count)), "a restored backup is a prefix of what was written")
        let check = try await shop.backend.registry.withDatabase(shop.tenant.id) { database in
            try await database.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        }
        #expect(check == ["ok"])
        // and the shop keeps working on the restored file
        try await placeOrder(shop, number: 5000)
        #expect(try await orderNumbers(shop).last == 5000)
        await shop.backend.shutdown()
    }

    @Test func damagedBackupsAreRefusedWithAReasonAndTheLiveFileIsUntouched() async throws {
        let shop = try await shop()
        for number in 1001...1020 { try await placeOrder(shop, number: number) }
        let record = try await shop.backend.backups.backup(shop.tenant, into: nil)
        for number in 1021...1025 { try await placeOrder(shop, number: number) }
        let folder = (record.file as NSString).deletingLastPathComponent
        let whole = try Data(contentsOf: URL(fileURLWithPath: record.file))

        func damaged(_ name: String, _ bytes: Data, manifest: Bool = true) throws -> String {
            let path = folder + "/" + name
            try bytes.write(to: URL(fileURLWithPath: path))
            if manifest {
                try Data("\(try SQLiteTenantBackups.sha256(of: path))  \(name)\n".utf8).write(to: URL(fileURLWithPath: path + ".sha256"))
            }
            return path
        }
        var flipped = whole
        flipped[whole.count / 2] ^= 0xFF
        try flipped.write(to: URL(fileURLWithPath: folder + "/flipped.sqlite.gz"))
        try FileManager.default.copyItem(atPath: record.file + ".sha256", toPath: folder + "/flipped.sqlite.gz.sha256")

        // A SQLite file with a damaged page, gzip'd with a matching checksum.
        let plain = folder + "/plain.sqlite"
        try Gzip.decompress(file: record.file, to: plain)
        var pages = try Data(contentsOf: URL(fileURLWithPath: plain))
        for offset in stride(from: 4096 + 100, to: min(pages.count, 4096 * 3), by: 7) { pages[offset] ^= 0x5A }
        try pages.write(to: URL(fileURLWithPath: plain))
        try Gzip.compress(file: plain, to: folder + "/corrupt-pages.sqlite.gz")
        let corruptPages = try damaged("corrupt-pages.sqlite.gz", try Data(contentsOf: URL(fileURLWithPath: folder + "/corrupt-pages.sqlite.gz")))
        try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: plain))
        try Gzip.compress(file: plain, to: folder + "/not-sqlite.sqlite.gz")
        let notSQLite = try damaged("not-sqlite.sqlite.gz", try Data(contentsOf: URL(fileURLWithPath: folder + "/not-sqlite.sqlite.gz")))

        let cases: [(file: String, reason: String)] = [
            (folder + "/flipped.sqlite.gz", "does not match its checksum"),
            (try damaged("truncated.sqlite.gz", whole.prefix(whole.count / 2)), "not a complete gzip file"),
            (try damaged("unverified.sqlite.gz", whole, manifest: false), "has no checksum manifest"),
            (notSQLite, "SQLite"),
            (corruptPages, "integrity_check"),
            (folder + "/missing.sqlite.gz", "No backup file"),
        ]
        for (file, reason) in cases {
            do {
                _ = try await shop.backend.backups.restore(shop.tenant, from: file, force: true)
                Issue.record("\(file) was restored")
            } catch let error as DomainError {
                #expect(error.description.contains(reason), "\(file): \(error.description)")
            }
            // The live shop is exactly as it was: all 25 orders, nothing swapped, no scratch left behind.
            #expect(try await orderNumbers(shop) == Array(1001...1025))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: shop.config.tenantsDirectory).filter { !$0.hasSuffix(".sqlite") && !$0.contains(".sqlite-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        await shop.backend.shutdown()
    }

    @Test func anotherShopsBackupIsRefusedUnlessForcedAndRetentionBoundsTheFiles() async throws {
        let config = try temporaryConfig(["BACKUP_RETENTION": "2"])
        let alpha = try await shop("alpha", config: config)
        let tenants = TenantService(store: alpha.backend.tenants, provisioner: alpha.backend.provisioner, directory: TenantDirectory(store: alpha.backend.tenants))
        let beta = Shop(backend: alpha.backend, tenant: try await tenants.create(NewTenant(name: "Beta", subdomain: "beta")), config: config)
        try await placeOrder(alpha, number: 1001)
        try await placeOrder(beta, number: 2001)

        var records: [BackupRecord] = []
        for _ in 0..<3 {
            records.append(try await alpha.backend.backups.backup(alpha.tenant, into: nil))
            try await Task.sleep(for: .milliseconds(5))
        }
        let kept = try alpha.backend.backups.backups(of: alpha.tenant)
        #expect(kept.map(\.file) == [records[2].file, records[1].file], "retention 2 keeps the two newest, newest first")
        #expect(!FileManager.default.fileExists(atPath: records[0].file) && !FileManager.default.fileExists(atPath: records[0].file + ".sha256"))

        await #expect(throws: DomainError.self) { try await beta.backend.backups.restore(beta.tenant, from: records[2].file, force: false) }
        #expect(try await orderNumbers(beta) == [2001])
        let forced = try await beta.backend.backups.restore(beta.tenant, from: records[2].file, force: true)
        #expect(forced.backupOf == alpha.tenant.id)
        #expect(try await orderNumbers(beta) == [1001])
        // The forced copy now belongs to beta: it opens again after being closed.
        await beta.backend.shutdown()
        let reopened = try SQLiteBackend(config: config)
        #expect(try await orderNumbers(Shop(backend: reopened, tenant: beta.tenant, config: config)) == [1001])
        #expect(try await orderNumbers(Shop(backend: reopened, tenant: alpha.tenant, config: config)) == [1001])
        await reopened.shutdown()
    }

    @Test func aShopFileCopiedOverAnotherShopsIsRefusedNotServed() async throws {
        let config = try temporaryConfig()
        let alpha = try await shop("alpha", config: config)
        let tenants = TenantService(store: alpha.backend.tenants, provisioner: alpha.backend.provisioner, directory: TenantDirectory(store: alpha.backend.tenants))
        let beta = try await tenants.create(NewTenant(name: "Beta", subdomain: "beta"))
        try await placeOrder(alpha, number: 1001)
        await alpha.backend.shutdown()
        let registry = TenantDatabaseRegistry(config: config)
        let alphaPath = await registry.path(for: alpha.tenant.id), betaPath = await registry.path(for: beta.id)
        try FileManager.default.removeItem(atPath: betaPath)
        try FileManager.default.copyItem(atPath: alphaPath, toPath: betaPath)
        await #expect(throws: DomainError.self) {
            try await registry.withDatabase(beta.id) { _ in }
        }
        await registry.closeAll()
    }
}

@Suite("Export and import: moving a shop between boxes")
struct ExportImportTests {
    @Test func anExportedShopIsRecreatedOnAnotherBoxWithItsDataAndRecord() async throws {
        let source = try await BackupTests().shop("acme")
        for number in 1001...1003 { try await BackupTests().placeOrder(source, number: number) }
        let file = scratchPath("acme", suffix: ".sqlite.gz")
        let record = try await source.backend.backups.export(source.tenant, to: file)
        #expect(record.file == file && FileManager.default.fileExists(atPath: file + ".sha256"))
        await source.backend.shutdown()

        // Another box: a fresh data directory
        let config = try temporaryConfig()
        let target = try SQLiteBackend(config: config)
        let imported = try await target.backups.importShop(from: file, subdomain: nil)
        #expect(imported.id == source.tenant.id)
        #expect(imported.subdomain == "acme" && imported.name == "Acme")
        #expect(try await target.tenants.tenant(subdomain: "acme")?.id == source.tenant.id)
        let moved = BackupTests.Shop(backend: target, tenant: imported, config: config)
        #expect(try await BackupTests().orderNumbers(moved) == [1001, 1002, 1003])

        // Importing it twice is refused and changes nothing.
        await #expect(throws: DomainError.self) { try await target.backups.importShop(from: file, subdomain: "acme-two") }
        #expect(try await target.tenants.count(status: nil) == 1)
        await target.shutdown()

        // A third box takes it under another subdomain.
        let third = try SQLiteBackend(config: try temporaryConfig())
        #expect(try await third.backups.importShop(from: file, subdomain: "Acme-Outlet").subdomain == "acme-outlet")
        await third.shutdown()
    }

    @Test(arguments: ["../../../pwn", "Has Spaces", ""])
    func anEditedExportWithABadShopRecordIsRefusedAndWritesNothing(_ subdomain: String) async throws {
        // Given an export whose shop record someone edited to an unsafe subdomain
        let source = try await BackupTests().shop("acme")
        let file = scratchPath("acme", suffix: ".sqlite.gz")
        _ = try await source.backend.backups.export(source.tenant, to: file)
        await source.backend.shutdown()
        let plain = file + ".plain"
        try Gzip.decompress(file: file, to: plain)
        let queue = try DatabaseQueue(path: plain)
        try await queue.write { db in
            let record = try #require(try String.fetchOne(db, sql: "SELECT tenant_record FROM shop_identity"))
            var object = try #require(try JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any])
            object["subdomain"] = subdomain
            let edited = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            try db.execute(sql: "UPDATE shop_identity SET tenant_record = ?", arguments: [edited])
        }
        try queue.close()
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.removeItem(atPath: file + ".sha256")
        try Gzip.compress(file: plain, to: file)

        // When it is imported on another box, it is refused naming the field, and no shop or file appears
        let config = try temporaryConfig()
        let target = try SQLiteBackend(config: config)
        do {
            _ = try await target.backups.importShop(from: file, subdomain: nil)
            Issue.record("the edited export was imported")
        } catch DomainError.validation(let issues) {
            #expect(issues.contains { $0.field == "shop.subdomain" }, "\(issues)")
        }
        #expect(try await target.tenants.count(status: nil) == 0)
        let stray = (try? FileManager.default.contentsOfDirectory(atPath: config.tenantsDirectory)) ?? []
        #expect(stray.allSatisfy { !$0.hasSuffix(".sqlite") || $0.hasPrefix(".") }, "\(stray)")
        // An explicit, valid subdomain still imports it
        #expect(try await target.backups.importShop(from: file, subdomain: "acme").subdomain == "acme")
        await target.shutdown()
    }

    @Test func aStoredSubdomainThatIsNotSafeNeverNamesAFile() {
        let tenant = Tenant(id: UUID(), name: "X", subdomain: "../../etc", domain: nil, plan: "basic", status: .active, settings: [:],
                            createdAt: Date(), updatedAt: Date())
        #expect(tenant.fileLabel == tenant.id.lowercased)
    }
}
