import EmporiumCore
import Foundation
import GRDB

struct SQLiteShippingRepository: ShippingRepository {
    let db: Database

    func zones() throws -> [ShippingZone] {
        // Read on every checkout with an address: the zones, then every zone's countries, each
        // through a kept statement.
        let zones = try ShippingZoneRecord.fetchAll(db, cached: "SELECT * FROM shipping_zones ORDER BY created_at, id")
        let countries = Dictionary(grouping: try ShippingZoneCountryRecord.fetchAll(db, cached: "SELECT * FROM shipping_zone_countries ORDER BY country"),
                                   by: \.zoneID)
        return zones.map { ShippingZoneInfo(zone: $0, countries: countries[$0.id] ?? []).shippingZone }
    }

    func zone(id: UUID) throws -> ShippingZone? {
        try ShippingZoneInfo.request(ShippingZoneRecord.filter(key: id.lowercased)).fetchOne(db)?.shippingZone
    }

    /// The zone's countries are replaced by the ones given. (`save`, not `upsert`: GRDB's upsert
    /// asks for the rowid, which this WITHOUT ROWID table has not.)
    func save(_ zone: ShippingZone) throws {
        try ShippingZoneRecord(zone).save(db)
        try ShippingZoneCountryRecord.filter(Column("zone_id") == zone.id.lowercased).deleteAll(db)
        for country in zone.countries {
            do {
                try ShippingZoneCountryRecord(country: country, zoneID: zone.id).insert(db)
            } catch let error as DatabaseError {
                throw error.domainError(conflict: "\(country) is already in another shipping zone: a country belongs to one zone")
            }
        }
    }

    func delete(id: UUID) throws -> Bool {
        try ShippingZoneRecord.deleteOne(db, key: id.lowercased)
    }
}
