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

    /// `2026-11-25T21:30:00.123Z` (log lines).
    var iso8601: String {
        String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday,
               fields.tm_hour, fields.tm_min, fields.tm_sec, milliseconds)
    }

    /// `20261125T213000.123Z`: sortable and safe in file names (rotated logs).
    var compact: String {
        String(format: "%04d%02d%02dT%02d%02d%02d.%03dZ", fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday,
               fields.tm_hour, fields.tm_min, fields.tm_sec, milliseconds)
    }
}
