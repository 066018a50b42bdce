import EmporiumCore
import Foundation
import GRDB

struct SQLiteTaxRateRepository: TaxRateRepository {
    let db: Database

    func rates() throws -> [TaxRate] {
        try Row.fetchAll(db, sql: "SELECT * FROM tax_rates ORDER BY country, coalesce(region, ''), id").map(decode)
    }

    func rate(id: UUID) throws -> TaxRate? {
        try Row.fetchOne(db, sql: "SELECT * FROM tax_rates WHERE id = ?", arguments: [id.lowercased]).map(decode)
    }

    func save(_ rate: TaxRate) throws {
        do {
            try db.execute(sql: """
                INSERT INTO tax_rates (id, country, region, name, rate_ppm, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET country = excluded.country, region = excluded.region, name = excluded.name,
                                               rate_ppm = excluded.rate_ppm, updated_at = excluded.updated_at
                """, arguments: [rate.id.lowercased, rate.country, rate.region, rate.name, rate.ratePPM, rate.createdAt, rate.updatedAt])
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "This shop already has a tax rate for \(rate.country)\(rate.region.map { "-\($0)" } ?? "")")
        }
    }

    func delete(id: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM tax_rates WHERE id = ?", arguments: [id.lowercased])
        return db.changesCount > 0
    }

    private func decode(_ row: Row) throws -> TaxRate {
        let id: String = row["id"]
        guard let uuid = UUID(uuidString: id) else { throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed tax_rates row") }
        return TaxRate(id: uuid, country: row["country"], region: row["region"], name: row["name"], ratePPM: row["rate_ppm"],
                       createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
