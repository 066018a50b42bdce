import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `system_config`: one setting by key (`id` is the row's own, never read).
struct SettingRecord: StoredRecord {
    static let databaseTableName = "system_config"

    var id: UUID
    var key: String
    var value: JSONValue
    var isEncrypted: Bool
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, key, value
        case isEncrypted = "is_encrypted", createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let key = Column(CodingKeys.key)
        static let value = Column(CodingKeys.value)
        static let isEncrypted = Column(CodingKeys.isEncrypted)
        static let updatedAt = Column(CodingKeys.updatedAt)
    }

    init(_ setting: StoredSetting) {
        (id, key, value, isEncrypted, createdAt, updatedAt) = (UUID(), setting.key, setting.value, setting.isEncrypted, setting.createdAt, setting.updatedAt)
    }

    var setting: StoredSetting {
        StoredSetting(key: key, value: value, isEncrypted: isEncrypted, createdAt: createdAt, updatedAt: updatedAt)
    }
}
