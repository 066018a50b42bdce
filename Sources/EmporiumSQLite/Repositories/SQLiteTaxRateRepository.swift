import EmporiumCore
import Foundation
import GRDB

struct SQLiteTaxRateRepository: TaxRateRepository {
    let db: Database

    func rates() throws -> [TaxRate] {
        try TaxRateRecord.fetchAll(db, cached: "SELECT * FROM tax_rates ORDER BY country, coalesce(region, ''), id").map(\.rate)
    }

    func rate(id: UUID) throws -> TaxRate? {
        try TaxRateRecord.fetchOne(db, key: id.lowercased)?.rate
    }

    /// A rate saved again keeps its `created_at`.
    func save(_ rate: TaxRate) throws {
        do {
            _ = try TaxRateRecord(rate).upsertAndFetch(db, onConflict: ["id"]) { _ in
                [Column(TaxRateRecord.CodingKeys.createdAt).noOverwrite]
            }
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "This shop already has a tax rate for \(rate.country)\(rate.region.map { "-\($0)" } ?? "")")
        }
    }

    func delete(id: UUID) throws -> Bool {
        try TaxRateRecord.deleteOne(db, key: id.lowercased)
    }
}
