// What Foundation answers that may come from ICU's data, one line each. packaging/icu/compare.sh
// links this with the full data and with the trimmed data and expects the same lines.
import Foundation

var lines: [String] = []
func say(_ line: String) { lines.append(line) }

say("fold: " + "Crème Brûlée ÆØÅ Straße İstanbul Ünïcödé".folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil))
say("case: " + "ÀÉÎ İSTANBUL Straße".lowercased() + " | " + "straße ǆ".uppercased() + " | " + "hello wORLD éclair".capitalized)

let instant = Date(timeIntervalSince1970: 1_774_700_000) // 2026-03-28 12:13:20 UTC, the day before Europe's clock change
let zones = ["Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe", "Pacific/Chatham", "Europe/Berlin",
             "America/Argentina/Buenos_Aires", "Africa/Casablanca", "Pacific/Kiritimati", "Pacific/Pago_Pago", "US/Eastern",
             "Asia/Calcutta", "Mars/Olympus", "UTC", "GMT", "Etc/GMT+5"]
for name in zones {
    guard let zone = TimeZone(identifier: name) else { say("zone \(name): unknown"); continue }
    say("zone \(name): \(zone.identifier) offset \(zone.secondsFromGMT(for: instant)) dst \(zone.isDaylightSavingTime(for: instant)) "
        + "next \(zone.nextDaylightSavingTimeTransition(after: instant).map { "\($0)" } ?? "none") abbreviation \(zone.abbreviation(for: instant) ?? "none")")
}
say("known zones: \(TimeZone.knownTimeZoneIdentifiers.count)")

var berlin = Calendar(identifier: .gregorian)
berlin.timeZone = TimeZone(identifier: "Europe/Berlin")!
let saturday = berlin.date(from: DateComponents(year: 2026, month: 3, day: 28))!
for offset in 0...3 {
    let day = berlin.date(byAdding: .day, value: offset, to: saturday)!
    say("berlin day \(offset): \(day) starts \(berlin.startOfDay(for: day)) weekday \(berlin.component(.weekday, from: day))")
}

let local = DateFormatter()
local.calendar = berlin
local.timeZone = berlin.timeZone
local.locale = Locale(identifier: "en_US_POSIX")
local.dateFormat = "yyyy-MM-dd HH:mm:ss zzz EEE MMM"
say("posix in Berlin: " + local.string(from: instant))
let stamp = DateFormatter()
stamp.locale = Locale(identifier: "en_US_POSIX")
stamp.timeZone = TimeZone(identifier: "UTC")
stamp.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
say("backup stamp: " + stamp.string(from: instant) + " | \(stamp.date(from: "20260328T121314.567Z").map { "\($0)" } ?? "nil")")
let grdb = DateFormatter()
grdb.locale = Locale(identifier: "en_US_POSIX")
grdb.timeZone = TimeZone(secondsFromGMT: 0)
grdb.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
say("GRDB text: " + grdb.string(from: instant) + " | \(grdb.date(from: "2026-03-28 12:13:14.567").map { "\($0)" } ?? "nil")")
say("ISO 8601: " + ISO8601DateFormatter().string(from: instant) + " | \(ISO8601DateFormatter().date(from: "2026-03-28T12:13:14Z").map { "\($0)" } ?? "nil")")
let dayOnly = ISO8601DateFormatter()
dayOnly.formatOptions = [.withFullDate]
say("ISO 8601 day: \(dayOnly.date(from: "2026-03-28").map { "\($0)" } ?? "nil")")
say("format style: " + instant.formatted(.iso8601) + " | " + instant.formatted(.iso8601.year().month().day()))
say("String(format:): " + String(format: "%.2f %05d %@ %x", 3.14159, 42, "s", 255))

say("current locale: \(Locale.current.identifier) decimal separator \(Locale.current.decimalSeparator ?? "none")")
let decimal = NumberFormatter()
decimal.numberStyle = .decimal
say("number, current locale: " + (decimal.string(from: 1_234_567.891) ?? "nil"))
let currency = NumberFormatter()
currency.locale = Locale(identifier: "en_US_POSIX")
currency.numberStyle = .currency
currency.currencyCode = "EUR"
say("currency, POSIX: " + (currency.string(from: 1234.5) ?? "nil"))
say("sorted: " + ["b", "A", "ä", "a", "Z", "10", "9"].sorted { $0.localizedStandardCompare($1) == .orderedAscending }.joined(separator: ","))
say("case-insensitive: \("Straße".caseInsensitiveCompare("STRASSE").rawValue) \("abc".range(of: "B", options: .caseInsensitive) != nil)")
let encoder = JSONEncoder()
encoder.dateEncodingStrategy = .iso8601
say("JSON date: " + String(decoding: try! encoder.encode(["d": instant]), as: UTF8.self))
say("decoding: " + (String(data: Data("héllo".utf8), encoding: .utf8) ?? "nil") + " | " + (String(data: Data([0x68, 0xe9]), encoding: .isoLatin1) ?? "nil")
    + " | " + (String(data: Data([0x80, 0x68]), encoding: .windowsCP1252) ?? "nil"))
say("bytes: " + ByteCountFormatter.string(fromByteCount: 123_456_789, countStyle: .file))
print(lines.joined(separator: "\n"))
