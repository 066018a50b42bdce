import EmporiumCore
import Foundation
import Logging

/// The shipped storage: one system database plus one SQLite file per shop.
public final class SQLiteBackend: StorageBackend {
    public let system: SystemDatabase
    public let registry: TenantDatabaseRegistry
    public let tenants: any TenantStore
    public let operators: any OperatorStore
    public var provisioner: any TenantDatabaseProvisioner { registry }
    private let tenantsDirectory: String
    private let logger: Logger

    /// Opens and migrates the system database; shop files open lazily on first use.
    public init(config: AppConfig, logger: Logger = Logger(label: "emporium.storage")) throws {
        self.system = try SystemDatabase(config: config)
        self.registry = TenantDatabaseRegistry(config: config, logger: logger)
        self.tenants = SQLiteTenantStore(system)
        self.operators = SQLiteOperatorStore(system)
        self.tenantsDirectory = config.tenantsDirectory
        self.logger = logger
    }

    public func pingSystemDatabase() async throws {
        try await system.ping()
    }

    public func pingTenantDatabases() async throws {
        if try await registry.pingMostRecent() { return }
        guard FileManager.default.isWritableFile(atPath: tenantsDirectory) else {
            throw DomainError.unavailable("The tenants folder is not writable")
        }
    }

    public func openTenantDatabases() async -> Int {
        await registry.openCount
    }

    public func shutdown() async {
        await registry.closeAll()
        do {
            try system.close()
        } catch {
            logger.error("closing the system database failed", metadata: ["error": "\(error)"])
        }
    }
}
