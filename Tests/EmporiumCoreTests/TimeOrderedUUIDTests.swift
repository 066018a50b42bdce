import Foundation
import Testing
@testable import EmporiumCore

@Suite("Time-ordered ids (UUID version 7)")
struct TimeOrderedUUIDTests {
    @Test func idsAreVersionSevenWithTheRFCVariantAndCarryTheirMillisecond() {
        let now = Date(timeIntervalSince1970: 1_796_000_000.123)
        let id = TimeOrderedUUID.make(now: now)
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        #expect(bytes[6] >> 4 == 7)
        #expect(bytes[8] >> 6 == 0b10)
        let millisecond = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millisecond >= 1_796_000_000_123)
        #expect(id.uuidString.count == 36)
    }

    /// What the indexes rely on: ids made one after another sort one after another as the
    /// lowercased text the shop files store, within one millisecond too and across a clock step back.
    @Test func idsMadeInTurnSortInTurnAsStoredText() {
        let start = Date()
        var made: [String] = []
        for index in 0..<5_000 {
            // Mostly the same millisecond, with one clock step back in the middle.
            let time = index == 2_500 ? start.addingTimeInterval(-10) : start.addingTimeInterval(Double(index / 1_000) / 1_000)
            made.append(TimeOrderedUUID.make(now: time).uuidString.lowercased())
        }
        #expect(made == made.sorted())
        #expect(Set(made).count == made.count)
    }
}
