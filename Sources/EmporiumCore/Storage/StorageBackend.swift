import Foundation

/// Everything the application needs from storage, behind protocols so the HTTP layer never sees
/// GRDB and a PostgreSQL backend stays possible. `EmporiumSQLite.SQLiteBackend` is the one we ship.
public protocol StorageBackend: Sendable {
    var tenants: any TenantStore { get }
    var operators: any OperatorStore { get }
    var provisioner: any TenantDatabaseProvisioner { get }
    /// Each shop's own tables (users, audit log, settings, …), one transaction at a time.
    var tenantStorage: any TenantStorage { get }
    /// Online backups and verified restores of shop files.
    var backups: any TenantBackupStore { get }

    /// Proves the system database answers a query.
    func pingSystemDatabase() async throws
    /// Proves shop databases can be used: queries the most recently used open one, or, when none
    /// is open, checks that the tenants folder is writable.
    func pingTenantDatabases() async throws
    /// The shops whose database files are open right now (background jobs visit these).
    func openTenantIDs() async -> [UUID]
    /// How many shop database files are open right now.
    func openTenantDatabases() async -> Int
    /// How many shop files were closed to stay within the open-file bound since start.
    func tenantEvictions() async -> Int
    /// Checkpoints and closes every database; called once, after the server has drained.
    func shutdown() async
}
