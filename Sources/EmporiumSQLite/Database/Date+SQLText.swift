import Foundation

extension Date {
    /// The text GRDB stores for a date (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, to the nearest millisecond),
    /// made without a `DateFormatter`: GRDB formats `Date` arguments with one, through ICU, and
    /// that was half the cost of inserting an order. Same text, so stored values compare and sort
    /// as before (`DateSQLTextTests` checks it against GRDB's own).
    var sqlText: String {
        let milliseconds = Int64((timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let millisecond = Int(milliseconds - Int64(seconds) * 1000)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(23)
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
        digits(Int(fields.tm_mday), 2, then: UInt8(ascii: " "))
        digits(Int(fields.tm_hour), 2, then: UInt8(ascii: ":"))
        digits(Int(fields.tm_min), 2, then: UInt8(ascii: ":"))
        digits(Int(fields.tm_sec), 2, then: UInt8(ascii: "."))
        digits(millisecond, 3, then: nil)
        return String(decoding: bytes, as: UTF8.self)
    }
}
