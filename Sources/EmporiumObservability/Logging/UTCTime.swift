import Foundation

/// The current UTC time split into calendar fields and milliseconds, read without locale or
/// formatter objects: log lines and rotated file names take a timestamp on every write.
struct UTCTime {
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

    /// `2026-11-25T21:30:00.123Z` (log lines). Built digit by digit: `String(format:)` cost a
    /// measurable share of every request line.
    var iso8601: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int, then separator: Character?) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
            if let separator { bytes.append(separator.asciiValue!) }
        }
        digits(Int(fields.tm_year) + 1900, 4, then: "-")
        digits(Int(fields.tm_mon) + 1, 2, then: "-")
        digits(Int(fields.tm_mday), 2, then: "T")
        digits(Int(fields.tm_hour), 2, then: ":")
        digits(Int(fields.tm_min), 2, then: ":")
        digits(Int(fields.tm_sec), 2, then: ".")
        digits(milliseconds, 3, then: "Z")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `20261125T213000.123Z`: sortable and safe in file names (rotated logs).
    var compact: String {
        String(format: "%04d%02d%02dT%02d%02d%02d.%03dZ", fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday,
               fields.tm_hour, fields.tm_min, fields.tm_sec, milliseconds)
    }
}
