import EmporiumCore
import Foundation
import GRDB
import Logging

/// `TenantStorage` over the registry: each call leases the shop's file and runs the body in one
/// GRDB transaction, handing it repositories bound to that transaction.
public struct SQLiteTenantStorage: TenantStorage {
    let registry: TenantDatabaseRegistry

    public init(registry: TenantDatabaseRegistry) {
        self.registry = registry
    }

    public func read<T: Sendable>(_ tenantID: UUID, _ body: @escaping @Sendable (any TenantTransaction) throws -> T) async throws -> T {
        do {
            return try await registry.withDatabase(tenantID) { database in
                try await database.read { db in try body(SQLiteTenantTransaction(db: db)) }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            throw Self.damaged(tenantID, error)
        }
    }

    public func flushLog(_ tenantID: UUID) async throws {
        try await registry.withDatabase(tenantID) { database in try await database.truncateLog() }
    }

    /// A shop file damaged under the running server: that shop answers 503, the others carry on.
    private static func damaged(_ tenantID: UUID, _ error: DatabaseError) -> DomainError {
        Logger(label: "emporium.tenants").error("tenant database file is damaged", metadata: ["tenantId": "\(tenantID)", "error": "\(error)"])
        return DomainError.unavailable("This shop's data is not available")
    }

    public func write<T: Sendable>(_ tenantID: UUID, _ body: @escaping @Sendable (any TenantTransaction) throws -> T) async throws -> T {
        do {
            return try await registry.withDatabase(tenantID) { database in
                try await database.write { db in try body(SQLiteTenantTransaction(db: db)) }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw DomainError.unavailable("Storage is full")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            throw Self.damaged(tenantID, error)
        }
    }
}

/// The repositories of one open transaction.
struct SQLiteTenantTransaction: TenantTransaction {
    let db: Database

    var users: any UserRepository { SQLiteUserRepository(db: db) }
    var refreshTokens: any RefreshTokenRepository { SQLiteRefreshTokenRepository(db: db) }
    var audit: any AuditRepository { SQLiteAuditRepository(db: db) }
    var settings: any SettingsRepository { SQLiteSettingsRepository(db: db) }
    var catalog: any CatalogRepository { SQLiteCatalogRepository(db: db) }
    var images: any ProductImageRepository { SQLiteProductImageRepository(db: db) }
    var carts: any CartRepository { SQLiteCartRepository(db: db) }
    var orders: any OrderRepository { SQLiteOrderRepository(db: db) }
    var sales: any SalesRepository { SQLiteSalesRepository(db: db) }
    var addresses: any AddressRepository { SQLiteAddressRepository(db: db) }
    var shipping: any ShippingRepository { SQLiteShippingRepository(db: db) }
    var taxRates: any TaxRateRepository { SQLiteTaxRateRepository(db: db) }
    var discounts: any DiscountRepository { SQLiteDiscountRepository(db: db) }
    var paymentEvents: any PaymentEventRepository { SQLitePaymentEventRepository(db: db) }
    var personalData: any PersonalDataRepository { SQLitePersonalDataRepository(db: db) }
    var twoFactor: any TwoFactorRepository { SQLiteTwoFactorRepository(db: db) }
    var outbox: any OutboxRepository { SQLiteOutboxRepository(db: db) }
    var mailTemplates: any MailTemplateRepository { SQLiteMailTemplateRepository(db: db) }
    var accountTokens: any AccountTokenRepository { SQLiteAccountTokenRepository(db: db) }
    var shopPages: any ShopPageRepository { SQLiteShopPageRepository(db: db) }
}
