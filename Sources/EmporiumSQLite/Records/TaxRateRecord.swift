import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `tax_rates`.
struct TaxRateRecord: StoredRecord {
    static let databaseTableName = "tax_rates"

    var id: UUID
    var country: String
    var region: String?
    var name: String
    var ratePPM: Int
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, country, region, name
        case ratePPM = "rate_ppm", createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ rate: TaxRate) {
        (id, country, region, name, ratePPM, createdAt, updatedAt) = (rate.id, rate.country, rate.region, rate.name, rate.ratePPM, rate.createdAt, rate.updatedAt)
    }

    var rate: TaxRate {
        TaxRate(id: id, country: country, region: region, name: name, ratePPM: ratePPM, createdAt: createdAt, updatedAt: updatedAt)
    }
}
