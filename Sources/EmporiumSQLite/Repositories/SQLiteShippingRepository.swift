import EmporiumCore
import Foundation
import GRDB

struct SQLiteShippingRepository: ShippingRepository {
    let db: Database

    func zones() throws -> [ShippingZone] {
        try Row.fetchAll(db, sql: "SELECT * FROM shipping_zones ORDER BY created_at, id").map(decode)
    }

    func zone(id: UUID) throws -> ShippingZone? {
        try Row.fetchOne(db, sql: "SELECT * FROM shipping_zones WHERE id = ?", arguments: [id.lowercased]).map(decode)
    }

    func save(_ zone: ShippingZone) throws {
        let id = zone.id.lowercased
        try db.execute(sql: """
            INSERT INTO shipping_zones (id, name, methods, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, methods = excluded.methods, updated_at = excluded.updated_at
            """, arguments: [id, zone.name, try JSONColumn.text(zone.methods), zone.createdAt, zone.updatedAt])
        try db.execute(sql: "DELETE FROM shipping_zone_countries WHERE zone_id = ?", arguments: [id])
        for country in zone.countries {
            do {
                try db.execute(sql: "INSERT INTO shipping_zone_countries (country, zone_id) VALUES (?, ?)", arguments: [country, id])
            } catch let error as DatabaseError {
                throw error.domainError(conflict: "\(country) is already in another shipping zone: a country belongs to one zone")
            }
        }
    }

    func delete(id: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM shipping_zones WHERE id = ?", arguments: [id.lowercased])
        return db.changesCount > 0
    }

    private func decode(_ row: Row) throws -> ShippingZone {
        let id: String = row["id"]
        guard let uuid = UUID(uuidString: id) else { throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed shipping_zones row") }
        let countries = try String.fetchAll(db.cachedStatement(sql: "SELECT country FROM shipping_zone_countries WHERE zone_id = ? ORDER BY country"),
                                            arguments: [id])
        return ShippingZone(id: uuid, name: row["name"], countries: countries,
                            methods: try JSONColumn.value([ShippingMethod].self, row["methods"], table: "shipping_zones"),
                            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
