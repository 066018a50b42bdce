import Foundation

/// A UTC time split into calendar fields and milliseconds, read and written without locale or
/// formatter objects: log lines and rotated file names take a timestamp on every write, and the
/// database binds dates as text on every order (`String(format:)` and `DateFormatter` each cost a
/// measurable share of those).
public struct UTCTime {
    let fields: tm
    let milliseconds: Int

    public static func now() -> UTCTime {
        var clock = timespec()
        clock_gettime(CLOCK_REALTIME, &clock)
        var seconds = clock.tv_sec
        var fields = tm()
        gmtime_r(&seconds, &fields)
        return UTCTime(fields: fields, milliseconds: clock.tv_nsec / 1_000_000)
    }

    /// `2026-11-25T21:30:00.123Z` (log lines).
    public var iso8601: String { text(dateTimeSeparator: UInt8(ascii: "T"), suffix: UInt8(ascii: "Z")) }

    /// `2026-11-25 21:30:00.123`: the text GRDB stores for a date (its `DateFormatter` format).
    public var sqlText: String { text(dateTimeSeparator: UInt8(ascii: " "), suffix: nil) }

    /// `20261125T213000.123Z`: sortable and safe in file names (rotated logs, backups).
    public var compact: String { text(dateSeparator: nil, dateTimeSeparator: UInt8(ascii: "T"), timeSeparator: nil, suffix: UInt8(ascii: "Z")) }

    /// `20261125T213000Z`: the same to the second (archived shop files).
    public var compactSeconds: String {
        text(dateSeparator: nil, dateTimeSeparator: UInt8(ascii: "T"), timeSeparator: nil, milliseconds: false, suffix: UInt8(ascii: "Z"))
    }

    /// The time a `compact` text names, or nil for any other text.
    public static func date(compact text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "."), bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int32(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(9..<11),
              let minute = number(11..<13), let second = number(13..<15), let milliseconds = number(16..<19) else { return nil }
        var fields = tm()
        (fields.tm_year, fields.tm_mon, fields.tm_mday, fields.tm_hour, fields.tm_min, fields.tm_sec) = (year - 1900, month - 1, day, hour, minute, second)
        let seconds = timegm(&fields)
        // timegm carries an impossible field over (month 13, second 61): such a text names no time.
        guard fields.tm_year == year - 1900, fields.tm_mon == month - 1, fields.tm_mday == day, fields.tm_hour == hour,
              fields.tm_min == minute, fields.tm_sec == second else { return nil }
        return Date(timeIntervalSince1970: Double(seconds) + Double(milliseconds) / 1000)
    }

    private func text(dateSeparator: UInt8? = UInt8(ascii: "-"), dateTimeSeparator: UInt8, timeSeparator: UInt8? = UInt8(ascii: ":"),
                      milliseconds withMilliseconds: Bool = true, suffix: UInt8?) -> String {
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
        digits(Int(fields.tm_year) + 1900, 4, then: dateSeparator)
        digits(Int(fields.tm_mon) + 1, 2, then: dateSeparator)
        digits(Int(fields.tm_mday), 2, then: dateTimeSeparator)
        digits(Int(fields.tm_hour), 2, then: timeSeparator)
        digits(Int(fields.tm_min), 2, then: timeSeparator)
        if withMilliseconds {
            digits(Int(fields.tm_sec), 2, then: UInt8(ascii: "."))
            digits(milliseconds, 3, then: suffix)
        } else {
            digits(Int(fields.tm_sec), 2, then: suffix)
        }
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
