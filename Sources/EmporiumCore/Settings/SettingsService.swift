import Foundation

/// What `GET /settings` shows of one setting: encrypted values are always masked.
public struct SettingView: Sendable, Equatable {
    public static let mask = "********"

    public let key: String
    public let value: JSONValue
    public let encrypted: Bool
    public let updatedAt: Date
}

/// A shop's own settings (`system_config`). Values flagged encrypted are sealed with AES-GCM under
/// `ENCRYPTION_KEY` before they reach the database and are never returned in clear.
public struct SettingsService: Sendable {
    let storage: any TenantStorage
    let box: SecretBox
    let cache: MemoryCache
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, box: SecretBox, cache: MemoryCache, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.box = box
        self.cache = cache
        self.now = now
    }

    public func list(in tenantID: UUID, by actor: Actor) async throws -> [SettingView] {
        try actor.require(.settingsRead)
        return try await storage.read(tenantID) { tx in try tx.settings.all().map(Self.view) }
    }

    public func put(in tenantID: UUID, key rawKey: String, value: JSONValue, encrypted: Bool, by actor: Actor) async throws -> SettingView {
        try actor.require(.settingsWrite)
        let key = try Self.validKey(rawKey)
        try OrderLimits.validate(key: key, value: value, encrypted: encrypted)
        try CheckoutPlanner.validate(key: key, value: value, encrypted: encrypted)
        try PaymentSettings.validate(key: key, value: value, encrypted: encrypted)
        try TwoFactorPolicy.validate(key: key, value: value, encrypted: encrypted)
        try MailSettings.validate(key: key, value: value, encrypted: encrypted)
        try ShopFace.validate(key: key, value: value, encrypted: encrypted)
        let text = try value.jsonText()
        guard text.utf8.count <= 65_536 else { throw DomainError.invalid("value", "must be at most 64 KiB of JSON") }
        let stored: JSONValue = encrypted ? .string(try box.seal(text)) : value
        let timestamp = now()
        // A setting can be part of the checkout setup (tax.pricesIncludeTax).
        let view = try await CheckoutSetup.change(in: tenantID, storage: storage, cache: cache) { tx in
            try TwoFactorPolicy.checkSwitchOn(key: key, value: value, by: actor, tx)
            let previous = try tx.settings.setting(key)
            let setting = StoredSetting(key: key, value: stored, isEncrypted: encrypted, createdAt: previous?.createdAt ?? timestamp, updatedAt: timestamp)
            try tx.settings.upsert(setting)
            try tx.audit.record(AuditEntry(
                previous == nil ? "setting.created" : "setting.updated", on: "setting", id: key, by: actor,
                old: previous.map { Self.view($0).auditValue }, new: Self.view(setting).auditValue, at: timestamp
            ))
            return Self.view(setting)
        }
        // The storefront's pages show the shop's face: they are drawn again with the new one.
        if ShopFace.keys.contains(key) { cache.invalidate(tenant: tenantID) }
        return view
    }

    public func delete(in tenantID: UUID, key rawKey: String, by actor: Actor) async throws {
        try actor.require(.settingsWrite)
        let key = try Self.validKey(rawKey)
        let timestamp = now()
        defer { if ShopFace.keys.contains(key) { cache.invalidate(tenant: tenantID) } }
        try await CheckoutSetup.change(in: tenantID, storage: storage, cache: cache) { tx in
            guard let previous = try tx.settings.setting(key), try tx.settings.delete(key) else {
                throw DomainError.notFound("No setting '\(key)'")
            }
            try tx.audit.record(AuditEntry("setting.deleted", on: "setting", id: key, by: actor, old: Self.view(previous).auditValue, at: timestamp))
        }
    }

    /// Opens an encrypted setting for the server's own use (payment keys and the like). Never exposed
    /// through the API.
    public func secret(in tenantID: UUID, key: String) async throws -> JSONValue? {
        let stored = try await storage.read(tenantID) { tx in try tx.settings.setting(key) }
        guard let stored else { return nil }
        guard stored.isEncrypted, case .string(let sealed) = stored.value else { return stored.value }
        return try JSONValue.parse(try box.open(sealed))
    }

    /// After an `ENCRYPTION_KEY` rotation: seals again, under the current key, every encrypted
    /// setting the previous key sealed. Returns how many it moved. Values neither key opens are left
    /// as they are (and reported by `secret(in:key:)` as a wrong key).
    @discardableResult
    public func resealEncrypted(in tenantID: UUID, by actor: Actor) async throws -> Int {
        let box = self.box
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            var moved = 0
            for var setting in try tx.settings.all() where setting.isEncrypted {
                guard case .string(let sealed) = setting.value, let opened = try? box.openReportingKey(sealed), !opened.current else { continue }
                setting.value = .string(try box.seal(opened.plaintext))
                setting.updatedAt = timestamp
                try tx.settings.upsert(setting)
                try tx.audit.record(AuditEntry("setting.resealed", on: "setting", id: setting.key, by: actor, at: timestamp))
                moved += 1
            }
            return moved
        }
    }

    static func view(_ setting: StoredSetting) -> SettingView {
        SettingView(key: setting.key, value: setting.isEncrypted ? .string(SettingView.mask) : setting.value,
                    encrypted: setting.isEncrypted, updatedAt: setting.updatedAt)
    }

    /// 1–100 characters of letters, digits, `.`, `_` and `-`, e.g. `auth.registrationEnabled`.
    static func validKey(_ raw: String) throws -> String {
        let allowed = raw.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-"
        }
        guard (1...100).contains(raw.count), allowed else {
            throw DomainError.invalid("key", "must be 1 to 100 letters, digits, '.', '_' or '-'")
        }
        return raw
    }
}

extension SettingView {
    /// The audit form: the masked value for encrypted settings, so no secret reaches the log.
    var auditValue: JSONValue {
        .object(["value": value, "encrypted": .bool(encrypted)])
    }
}
