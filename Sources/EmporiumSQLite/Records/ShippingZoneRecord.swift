import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `shipping_zones`; its countries are rows of `shipping_zone_countries`, so a
/// country belongs to one zone (the table's primary key).
struct ShippingZoneRecord: StoredRecord {
    static let databaseTableName = "shipping_zones"
    static let countries = hasMany(ShippingZoneCountryRecord.self, key: "countries")

    var id: UUID
    var name: String
    var methods: [ShippingMethod]
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, methods
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ zone: ShippingZone) {
        (id, name, methods, createdAt, updatedAt) = (zone.id, zone.name, zone.methods, zone.createdAt, zone.updatedAt)
    }
}

/// A row of `shipping_zone_countries`.
struct ShippingZoneCountryRecord: StoredRecord {
    static let databaseTableName = "shipping_zone_countries"

    var country: String
    var zoneID: UUID

    enum CodingKeys: String, CodingKey {
        case country
        case zoneID = "zone_id"
    }
}

/// A zone with its countries, as one listing reads them: one query for the zones, one for all
/// their countries.
struct ShippingZoneInfo: Decodable, FetchableRecord {
    var zone: ShippingZoneRecord
    var countries: [ShippingZoneCountryRecord]

    static func request(_ zones: QueryInterfaceRequest<ShippingZoneRecord>) -> QueryInterfaceRequest<ShippingZoneInfo> {
        zones.including(all: ShippingZoneRecord.countries.order(Column("country"))).asRequest(of: ShippingZoneInfo.self)
    }

    var shippingZone: ShippingZone {
        ShippingZone(id: zone.id, name: zone.name, countries: countries.map(\.country), methods: zone.methods,
                     createdAt: zone.createdAt, updatedAt: zone.updatedAt)
    }
}
