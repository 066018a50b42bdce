import Foundation

/// DNS rules for the names a shop is reached by, so every subdomain and domain we accept can
/// actually be put in front of a browser.
public enum HostnameRules {
    /// Subdomains kept for the platform itself.
    public static let reservedSubdomains: Set<String> = [
        "www", "api", "admin", "platform", "static", "assets", "mail", "metrics", "health",
    ]

    /// Lower-cases and checks a subdomain: one DNS label of 1–63 letters, digits and inner hyphens.
    /// A UUID-shaped label is refused because `X-Tenant-ID` accepts both and must stay unambiguous.
    public static func normalizeSubdomain(_ raw: String) throws -> String {
        let label = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if let problem = labelProblem(label) {
            throw DomainError.invalid("subdomain", problem)
        }
        if reservedSubdomains.contains(label) {
            throw DomainError.invalid("subdomain", "'\(label)' is reserved")
        }
        if UUID(uuidString: label) != nil {
            throw DomainError.invalid("subdomain", "must not be a UUID")
        }
        return label
    }

    /// Lower-cases and checks a fully qualified domain: at most 253 characters, two or more valid
    /// labels, and a top-level label that is not all digits (so IP addresses are refused).
    public static func normalizeDomain(_ raw: String) throws -> String {
        var domain = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        guard !domain.isEmpty, domain.count <= 253 else {
            throw DomainError.invalid("domain", "must be 1 to 253 characters")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2 else {
            throw DomainError.invalid("domain", "must have at least two labels, like shop.example.com")
        }
        for label in labels {
            if let problem = labelProblem(label) {
                throw DomainError.invalid("domain", "label '\(label)' \(problem)")
            }
        }
        if labels.last!.allSatisfy(\.isNumber) {
            throw DomainError.invalid("domain", "must be a name, not an IP address")
        }
        return domain
    }

    /// Why `label` is not a valid DNS label (RFC 1123), or nil when it is.
    static func labelProblem(_ label: String) -> String? {
        if label.isEmpty || label.utf8.count > 63 {
            return "must be 1 to 63 characters"
        }
        let allowed = label.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
        }
        if !allowed {
            return "may contain only letters a-z, digits and hyphens"
        }
        if label.hasPrefix("-") || label.hasSuffix("-") {
            return "must not start or end with a hyphen"
        }
        return nil
    }
}
