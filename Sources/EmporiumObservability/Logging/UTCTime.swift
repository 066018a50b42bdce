import Foundation

/// A UTC time split into calendar fields and milliseconds, read and written without locale or
/// formatter objects: log lines and rotated file names take a timestamp on every write, and the
/// database binds dates as text on every order (`String(format:)` and `DateFormatter` each cost a
/// measurable share of those).
public struct UTCTime {
    let fields: tm
    let milliseconds: Int

    static func now() -> UTCTime {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        var seconds = clock.tv_sec
        var fields = tm()
        gmtime_r(&seconds, &fields)
        return UTCTime(fields: fields, milliseconds: clock.tv_nsec / 1_000_000)
    }

    /// `2026-11-25T21:30:00.123Z` (log lines).
    var iso8601: String { text(dateTimeSeparator: UInt8(ascii: "T"), suffix: UInt8(ascii: "Z")) }

    /// `2026-11-25 21:30:00.123`: the text GRDB stores for a date (its `DateFormatter` format).
    public var sqlText: String { text(dateTimeSeparator: UInt8(ascii: " "), suffix: nil) }

    /// `20261125T213000.123Z`: sortable and safe in file names (rotated logs).
    var compact: String {
        String(format: "%04d%02d%02dT%02d%02d%02d.%03dZ", fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday,
               fields.tm_hour, fields.tm_min, fields.tm_sec, milliseconds)
    }

    private func text(dateTimeSeparator: UInt8, suffix: UInt8?) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int, then separator: UInt8?) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
            if let separator { bytes.append(separator) }
        }
        digits(Int(fields.tm_year) + 1900, 4, then: UInt8(ascii: "-"))
        digits(Int(fields.tm_mon) + 1, 2, then: UInt8(ascii: "-"))
        digits(Int(fields.tm_mday), 2, then: dateTimeSeparator)
        digits(Int(fields.tm_hour), 2, then: UInt8(ascii: ":"))
        digits(Int(fields.tm_min), 2, then: UInt8(ascii: ":"))
        digits(Int(fields.tm_sec), 2, then: UInt8(ascii: "."))
        digits(milliseconds, 3, then: suffix)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension UTCTime {
    /// `date` to the nearest millisecond (as GRDB's formatter rounds).
    public init(_ date: Date) {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(total >= 0 ? total / 1000 : (total - 999) / 1000)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        self.init(fields: fields, milliseconds: Int(total - Int64(seconds) * 1000))
    }
}
