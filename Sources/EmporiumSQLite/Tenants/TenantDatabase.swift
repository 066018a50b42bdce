import Foundation
import GRDB

/// One shop's open database file. Handed out by `TenantDatabaseRegistry` for the duration of a
/// `withDatabase` call; never kept beyond it, so the registry may close it when evicted.
public final class TenantDatabase: Sendable {
    public let tenantID: UUID
    public let path: String
    let pool: DatabasePool

    init(tenantID: UUID, path: String, pool: DatabasePool) {
        self.tenantID = tenantID
        self.path = path
        self.pool = pool
    }

    /// Runs `body` in one write transaction: the unit of a use case.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Checkpoints the WAL into the main file and closes every connection.
    func close() throws {
        try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try pool.close()
    }
}
