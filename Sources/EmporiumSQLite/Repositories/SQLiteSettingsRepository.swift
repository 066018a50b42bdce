import EmporiumCore
import Foundation
import GRDB

struct SQLiteSettingsRepository: SettingsRepository {
    let db: Database

    func all() throws -> [StoredSetting] {
        try SettingRecord.order(SettingRecord.Columns.key).fetchAll(db).map(\.setting)
    }

    func setting(_ key: String) throws -> StoredSetting? {
        try SettingRecord.fetchOne(db, cached: "SELECT * FROM system_config WHERE key = ?", arguments: [key])?.setting
    }

    /// A key set again keeps its row and its `created_at`.
    func upsert(_ setting: StoredSetting) throws {
        _ = try SettingRecord(setting).upsertAndFetch(db, onConflict: [SettingRecord.Columns.key.name], updating: .noColumnUnlessSpecified) {
            excluded in [SettingRecord.Columns.value, SettingRecord.Columns.isEncrypted, SettingRecord.Columns.updatedAt].map { $0.set(to: excluded[$0]) }
        }
    }

    func delete(_ key: String) throws -> Bool {
        try SettingRecord.filter(SettingRecord.Columns.key == key).deleteAll(db) > 0
    }
}
