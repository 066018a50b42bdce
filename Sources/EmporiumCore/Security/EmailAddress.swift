import Foundation

/// Email normalisation: trimmed, lower-cased, one `@` with a dotted domain, at most 255 characters.
/// Deliverability is not checked here; this only keeps obvious garbage out of unique indexes.
public enum EmailAddress {
    public static func normalize(_ raw: String, field: String = "email") throws -> String {
        let email = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 255, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace })
        else {
            throw DomainError.invalid(field, "must be a valid email address")
        }
        return email
    }
}
