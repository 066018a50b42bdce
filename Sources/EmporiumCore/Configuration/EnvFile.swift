import Foundation

/// Reads `KEY=VALUE` files in the format systemd's `EnvironmentFile=` and Docker's `--env-file`
/// accept, so one file serves the packaged service, containers and `emporium` run by hand.
public enum EnvFile {
    /// Blank lines and `#` comments are skipped; an `export ` prefix is allowed; a value wrapped in
    /// matching single or double quotes is unwrapped.
    public static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard !key.isEmpty else { continue }
            values[key] = value
        }
        return values
    }
}
