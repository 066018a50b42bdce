import EmporiumCore
import Foundation
import GRDB

struct SQLiteSettingsRepository: SettingsRepository {
    let db: Database

    func all() throws -> [StoredSetting] {
        try Row.fetchAll(db, sql: "SELECT * FROM system_config ORDER BY key").map(Self.decode)
    }

    func setting(_ key: String) throws -> StoredSetting? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM system_config WHERE key = ?"), arguments: [key]).map(Self.decode)
    }

    func upsert(_ setting: StoredSetting) throws {
        try db.execute(
            sql: """
                INSERT INTO system_config (id, key, value, is_encrypted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, is_encrypted = excluded.is_encrypted, updated_at = excluded.updated_at
                """,
            arguments: [UUID().lowercased, setting.key, try setting.value.jsonText(), setting.isEncrypted, setting.createdAt, setting.updatedAt]
        )
    }

    func delete(_ key: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM system_config WHERE key = ?", arguments: [key])
        return db.changesCount > 0
    }

    static func decode(_ row: Row) throws -> StoredSetting {
        let text: String = row["value"]
        return StoredSetting(key: row["key"], value: try JSONValue.parse(text), isEncrypted: row["is_encrypted"],
                             createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
