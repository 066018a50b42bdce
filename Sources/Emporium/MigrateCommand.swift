import ArgumentParser
import EmporiumCore
import EmporiumSQLite
import Foundation

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations to the system database and every tenant database, then exit."
    )

    func run() async throws {
        let environment = try CommandEnvironment.open()
        print("system: \(try environment.backend.system.appliedMigrations().count) migrations applied")
        var offset = 0
        var migrated = 0
        while true {
            let batch = try await environment.backend.tenants.list(status: nil, offset: offset, limit: 100)
            if batch.isEmpty { break }
            for tenant in batch {
                // Opening a tenant database applies its pending migrations.
                try await environment.backend.registry.withDatabase(tenant.id) { _ in }
                migrated += 1
            }
            offset += batch.count
        }
        print("tenants: \(migrated) databases up to date")
        await environment.close()
    }
}
