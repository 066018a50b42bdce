@testable import EmporiumSQLite
import Foundation
import GRDB
import Testing

/// The hot statements bind dates as `sqlText` instead of letting GRDB format them: the text must be
/// exactly GRDB's, or stored dates would stop comparing and sorting with the ones GRDB wrote.
@Suite("Dates as SQL text")
struct DateSQLTextTests {
    @Test func matchesGRDBsStorageFormatExactly() {
        var generator = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400.9995), // 2000-02-29
                     Date(timeIntervalSince1970: 1_798_761_599.999), Date(timeIntervalSince1970: 4_102_444_800.001), Date()]
        for _ in 0..<5_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: 0..<4_102_444_800, using: &generator)))
        }
        for date in dates {
            let grdb = String.fromDatabaseValue(date.databaseValue)
            #expect(date.sqlText == grdb, "\(date.timeIntervalSince1970)")
        }
    }
}
