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
    public let tenantStorage: any TenantStorage
    public let backups: any TenantBackupStore
    private let tenantsDirectory: String
    private let logger: Logger

    /// Opens and migrates the system database; shop files open lazily on first use.
    public init(config: AppConfig, logger: Logger = Logger(label: "emporium.storage")) throws {
        self.system = try SystemDatabase(config: config)
        self.registry = TenantDatabaseRegistry(config: config, logger: logger)
        self.tenants = SQLiteTenantStore(system)
        self.operators = SQLiteOperatorStore(system)
        self.tenantStorage = SQLiteTenantStorage(registry: registry)
        self.backups = SQLiteTenantBackups(registry: registry, tenants: tenants, backupsDirectory: config.backupsDirectory,
                                           tenantsDirectory: config.tenantsDirectory, retention: config.backupRetention, now: { Date() })
        self.tenantsDirectory = config.tenantsDirectory
        self.logger = logger
        try verifyEncryptionKey(SecretBox(encryptionKey: config.encryptionKey, previous: config.previousEncryptionKey))
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

    /// Opens the encryption canary kept in the system database, sealing one on first start. A
    /// different `ENCRYPTION_KEY` than the one the data was sealed with stops the start here.
    func verifyEncryptionKey(_ box: SecretBox) throws {
        if let sealed = try system.meta("encryption_canary") {
            do {
                let opened = try box.openReportingKey(sealed)
                guard opened.plaintext == SecretBox.canaryPlaintext else { throw SecretBoxError.wrongKey }
                // A rotation: the canary moves to the new key now; settings with `emporium reseal-settings`.
                if !opened.current { try system.setMeta("encryption_canary", try box.seal(SecretBox.canaryPlaintext)) }
            } catch {
                throw ConfigError.invalid(variable: "ENCRYPTION_KEY", value: "(hidden)",
                                          expected: "the key this data directory was encrypted with (it changed since the last start; to rotate it, set the old one as ENCRYPTION_KEY_PREVIOUS)")
            }
        } else {
            try system.setMeta("encryption_canary", try box.seal(SecretBox.canaryPlaintext))
        }
    }

    public func openTenantIDs() async -> [UUID] {
        await registry.openTenantIDs
    }

    public func openTenantDatabases() async -> Int {
        await registry.openCount
    }

    public func tenantEvictions() async -> Int {
        await registry.evictionCount
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
