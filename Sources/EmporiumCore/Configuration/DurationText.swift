import Foundation

/// Durations as the original spec writes them (`1h`, `7d`, `15m`, `30s`, `500ms`) or plain seconds.
public enum DurationText {
    public static func seconds(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count)
            // "ms" must not be read as minutes of "…m" + "s"
            if suffix == "s", number.hasSuffix("m") { continue }
            guard let value = Double(number), value > 0, value.isFinite else { return nil }
            return value * factor
        }
        guard let value = Double(trimmed), value > 0, value.isFinite else { return nil }
        return value
    }
}
