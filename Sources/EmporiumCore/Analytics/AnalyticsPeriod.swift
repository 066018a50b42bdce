import Foundation

/// The days a dashboard covers and the equally long stretch just before them, both as whole days
/// in the shop's time zone. `7d` means today and the six days before it; `from`/`to` are
/// inclusive calendar dates. Boundaries are instants (`start` inclusive, `end` exclusive), so a
/// day of 23 or 25 hours around a clock change still counts once.
public struct AnalyticsPeriod: Sendable, Equatable {
    /// The longest range `from`/`to` may ask for.
    public static let maximumDays = 366
    public static let presets = ["7d": 7, "30d": 30, "90d": 90]

    /// The calendar dates of the current period, oldest first, as `yyyy-MM-dd`.
    public let days: [String]
    public let start: Date
    public let end: Date
    public let previousStart: Date
    public let timeZone: TimeZone
    /// The instant each day of `days` begins, plus `end`: `dayStarts[i] ..< dayStarts[i + 1]` is day i.
    let dayStarts: [Date]

    /// A preset (`period`) or an explicit range (`from`, `to`); with neither, the last 30 days.
    public static func resolve(period: String?, from: String?, to: String?, timeZone: TimeZone, now: Date) throws -> AnalyticsPeriod {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if from != nil || to != nil {
            guard period == nil else { throw DomainError.badRequest("Use either period or from/to, not both") }
            guard let fromText = from, let toText = to else {
                throw DomainError.badRequest("from and to go together", details: [FieldIssue(field: from == nil ? "from" : "to", message: "is required")])
            }
            let first = try day(fromText, field: "from", calendar: calendar)
            let last = try day(toText, field: "to", calendar: calendar)
            let count = (calendar.dateComponents([.day], from: first, to: last).day ?? -1) + 1
            guard count >= 1 else { throw DomainError.badRequest("Invalid range", details: [FieldIssue(field: "to", message: "must not be before from")]) }
            guard count <= maximumDays else {
                throw DomainError.badRequest("Invalid range", details: [FieldIssue(field: "to", message: "at most \(maximumDays) days after from")])
            }
            return make(first: first, count: count, calendar: calendar)
        }
        let name = period ?? "30d"
        guard let count = presets[name] else {
            throw DomainError.badRequest("Invalid period", details: [FieldIssue(field: "period", message: "must be one of 7d, 30d, 90d")])
        }
        let today = calendar.startOfDay(for: now)
        let first = calendar.date(byAdding: .day, value: -(count - 1), to: today)!
        return make(first: first, count: count, calendar: calendar)
    }

    private static func make(first: Date, count: Int, calendar: Calendar) -> AnalyticsPeriod {
        let starts = (0...count).map { calendar.date(byAdding: .day, value: $0, to: first)! }
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return AnalyticsPeriod(
            days: starts.dropLast().map(formatter.string(from:)), start: first, end: starts[count],
            previousStart: calendar.date(byAdding: .day, value: -count, to: first)!, timeZone: calendar.timeZone, dayStarts: starts
        )
    }

    private static func day(_ text: String, field: String, calendar: Calendar) throws -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1970...9999).contains(year),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.month, from: date) == month, calendar.component(.day, from: date) == day
        else {
            throw DomainError.badRequest("Invalid date", details: [FieldIssue(field: field, message: "must be a date like 2026-01-31")])
        }
        return calendar.startOfDay(for: date)
    }

    /// The index in `days` of the day `instant` falls on, or nil outside the current period.
    func dayIndex(of instant: Date) -> Int? {
        guard instant >= start, instant < end else { return nil }
        var low = 0, high = dayStarts.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if dayStarts[middle] <= instant { low = middle } else { high = middle }
        }
        return low
    }

    /// A key naming this period for caching.
    var cacheKey: String { "\(timeZone.identifier)|\(start.timeIntervalSince1970)|\(end.timeIntervalSince1970)" }
}
