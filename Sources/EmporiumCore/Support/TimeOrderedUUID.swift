import Foundation
import Synchronization

/// UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits, so ids made
/// one after another sort one after another. Orders, their lines and history, audit rows and
/// sessions are keyed by such ids: every SQLite index on them (the primary key's, the order lines'
/// `(order_id, line)`, the audit log's resource index) grows at its right edge, and a checkout
/// writes a few pages at the end of each index instead of one random page per index. Random v4
/// keys made every order touch ~13 scattered pages (docs/performance.md).
///
/// The 12 bits after the time are a counter within the millisecond (RFC 9562 §6.2, method 1,
/// seeded randomly each millisecond), so ids made in the same millisecond by this process still
/// sort in the order they were made; the remaining 62 bits are random, as unguessable as a lookup
/// key needs (ids are never secrets here: every id is checked against its owner).
public enum TimeOrderedUUID {
    private struct Clock {
        var millisecond: UInt64 = 0
        var counter: UInt16 = 0
    }

    private static let clock = Mutex(Clock())

    /// A new version-7 UUID. `now` is for tests; ids use the wall clock, and a clock that steps
    /// back keeps the last millisecond, so the order made by this process never goes backwards.
    public static func make(now: Date = Date()) -> UUID {
        let wall = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let (millisecond, counter) = clock.withLock { clock -> (UInt64, UInt16) in
            if wall > clock.millisecond {
                clock.millisecond = wall
                clock.counter = UInt16.random(in: 0...0x3FF)  // leaves room to count up within the millisecond
            } else if clock.counter < 0xFFF {
                clock.counter += 1
            } else {
                // 4,096 ids in one millisecond: borrow the next one rather than repeat.
                clock.millisecond += 1
                clock.counter = 0
            }
            return (clock.millisecond, clock.counter)
        }
        var random = SystemRandomNumberGenerator()
        let tail = random.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: millisecond >> (8 * (5 - index)))
        }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        for index in 8..<16 {
            bytes[index] = UInt8(truncatingIfNeeded: tail >> (8 * (15 - index)))
        }
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
