import Foundation

/// How the storefront looks as this shop's own: a short description (under the name on the home
/// page, and its meta description) and an accent colour (buttons and links), kept in the shop's
/// settings (`shop.description`, `shop.accentColor`).
public struct ShopFace: Sendable, Equatable {
    public static let descriptionKey = "shop.description"
    public static let accentColorKey = "shop.accentColor"
    public static let descriptionLimit = 300
    static let keys: Set<String> = [descriptionKey, accentColorKey]

    public var description: String?
    /// `#rrggbb`, lower case.
    public var accentColor: String?

    public init(description: String? = nil, accentColor: String? = nil) {
        self.description = description
        self.accentColor = accentColor
    }

    /// From the shop's settings; values that do not follow the rules (written before them, or by
    /// hand) are left out rather than shown.
    public static func current(_ settings: any SettingsRepository) throws -> ShopFace {
        var face = ShopFace()
        if case .string(let text)? = try settings.setting(descriptionKey)?.value { face.description = try? validDescription(text) }
        if case .string(let colour)? = try settings.setting(accentColorKey)?.value { face.accentColor = try? validColour(colour) }
        return face
    }

    /// `PUT /settings/{key}` for this type's keys: the value must be what `current` can use.
    static func validate(key: String, value: JSONValue, encrypted: Bool) throws {
        guard keys.contains(key) else { return }
        guard !encrypted else { throw DomainError.invalid("encrypted", "\(key) is shown to every shopper: it is not a secret") }
        guard case .string(let text) = value else { throw DomainError.invalid("value", "must be a string") }
        if key == descriptionKey { _ = try validDescription(text) } else { _ = try validColour(text) }
    }

    static func validDescription(_ raw: String) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...descriptionLimit).contains(value.unicodeScalars.count),
              !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) else {
            throw DomainError.invalid("value", "the shop's description must be 1 to \(descriptionLimit) characters of text")
        }
        return value
    }

    /// `#rgb` or `#rrggbb`, as `#rrggbb`. Only a colour: the value is written into a stylesheet.
    static func validColour(_ raw: String) throws -> String {
        let hex = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = hex.dropFirst()
        guard hex.first == "#", [3, 6].contains(digits.count), digits.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
            throw DomainError.invalid("value", "the accent colour must be a hex colour like #1d6b57")
        }
        return digits.count == 6 ? hex : "#" + digits.map { "\($0)\($0)" }.joined()
    }
}

extension ShopFace {
    /// WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21).
    public static func contrast(_ first: String, _ second: String) -> Double {
        let (a, b) = (luminance(first), luminance(second))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// What text on the accent colour should be: white or near-black, whichever reads better.
    public static func ink(on accent: String) -> String {
        contrast(accent, "#ffffff") >= contrast(accent, "#1a1a1a") ? "#ffffff" : "#1a1a1a"
    }

    static func luminance(_ hex: String) -> Double {
        let digits = Array(hex.dropFirst())
        guard digits.count == 6 else { return 0 }
        let channels = stride(from: 0, to: 6, by: 2).map { index -> Double in
            let value = Double(Int(String(digits[index...index + 1]), radix: 16) ?? 0) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    }
}
