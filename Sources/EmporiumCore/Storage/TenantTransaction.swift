import Foundation

/// Users of one shop. Implementations translate a taken email into `DomainError.conflict`.
public protocol UserRepository {
    func insert(_ user: User) throws
    func update(_ user: User) throws
    func delete(id: UUID) throws
    func user(id: UUID) throws -> User?
    func user(email: String) throws -> User?
    func list(search: String?, role: Role?, page: Page) throws -> [User]
    func count(search: String?, role: Role?) throws -> Int
    func count(role: Role) throws -> Int
    /// Whether `userID` signed in successfully from `address` since `since` (lockout bypass).
    func isKnownSignInAddress(userID: UUID, address: String, since: Date) throws -> Bool
    /// Whether the user ever signed in from a remembered address (a first sign-in has none).
    func hasSignInAddresses(userID: UUID) throws -> Bool
    /// Records a successful sign-in from `address`, keeping the newest `keep` addresses of the user.
    func rememberSignInAddress(userID: UUID, address: String, at: Date, keep: Int) throws
}

public protocol RefreshTokenRepository {
    func insert(_ token: RefreshTokenRecord) throws
    func token(hash: String) throws -> RefreshTokenRecord?
    func markUsed(id: UUID, at: Date) throws
    /// Revokes every unrevoked token of the family.
    func revokeFamily(_ familyID: UUID, at: Date) throws
    /// Revokes every unrevoked token of the user (password change, deletion, lock).
    func revokeAll(userID: UUID, at: Date) throws
}

public protocol AuditRepository {
    func record(_ entry: AuditEntry) throws
    func list(_ filter: AuditFilter, page: Page) throws -> [AuditEntry]
    func count(_ filter: AuditFilter) throws -> Int
}

/// A row of `system_config`, with the value as stored (ciphertext when encrypted).
public struct StoredSetting: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    public var isEncrypted: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(key: String, value: JSONValue, isEncrypted: Bool, createdAt: Date, updatedAt: Date) {
        self.key = key
        self.value = value
        self.isEncrypted = isEncrypted
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public protocol SettingsRepository {
    func all() throws -> [StoredSetting]
    func setting(_ key: String) throws -> StoredSetting?
    func upsert(_ setting: StoredSetting) throws
    /// Returns false when there was no such key.
    func delete(_ key: String) throws -> Bool
}

/// What a use case can touch inside one shop's transaction. The closure given to
/// `TenantStorage.write` is the transaction boundary: everything in it commits or nothing does.
public protocol TenantTransaction {
    var users: any UserRepository { get }
    var refreshTokens: any RefreshTokenRepository { get }
    var audit: any AuditRepository { get }
    var settings: any SettingsRepository { get }
    var catalog: any CatalogRepository { get }
    var images: any ProductImageRepository { get }
    var carts: any CartRepository { get }
    var orders: any OrderRepository { get }
    var sales: any SalesRepository { get }
    var addresses: any AddressRepository { get }
    var shipping: any ShippingRepository { get }
    var taxRates: any TaxRateRepository { get }
    var discounts: any DiscountRepository { get }
    var paymentEvents: any PaymentEventRepository { get }
    var personalData: any PersonalDataRepository { get }
    var twoFactor: any TwoFactorRepository { get }
    /// What must leave the box because of this transaction's change (mail, webhooks).
    var outbox: any OutboxRepository { get }
    var mailTemplates: any MailTemplateRepository { get }
    var accountTokens: any AccountTokenRepository { get }
    /// The shop's own pages (about, terms…), in Markdown.
    var shopPages: any ShopPageRepository { get }
}

/// Access to shops' databases, one transaction at a time.
public protocol TenantStorage: Sendable {
    func read<T: Sendable>(_ tenantID: UUID, _ body: @escaping @Sendable (any TenantTransaction) throws -> T) async throws -> T
    func write<T: Sendable>(_ tenantID: UUID, _ body: @escaping @Sendable (any TenantTransaction) throws -> T) async throws -> T
    /// Copies every committed change into the shop's main file and empties its write-ahead log, so
    /// no earlier version of a page (an erased person's rows) is left in the log for a copy of the
    /// files to find. Deleted content is overwritten in the main file as it is deleted.
    func flushLog(_ tenantID: UUID) async throws
}
