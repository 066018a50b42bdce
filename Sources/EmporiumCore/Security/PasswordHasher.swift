import Foundation

/// Hashes and checks passwords. Core stays free of the bcrypt implementation; the application
/// injects one (bcrypt with cost ≥ 10 in production, a lower cost in tests).
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, against hash: String) async -> Bool
}

/// Password rules shared by operators and shop users.
public enum PasswordPolicy {
    public static let minimumLength = 8
    /// bcrypt only reads the first 72 bytes; longer passwords would silently be truncated.
    public static let maximumBytes = 72

    public static func validate(_ password: String, field: String = "password") throws {
        guard password.count >= minimumLength else {
            throw DomainError.invalid(field, "must be at least \(minimumLength) characters")
        }
        guard password.utf8.count <= maximumBytes else {
            throw DomainError.invalid(field, "must be at most \(maximumBytes) bytes")
        }
    }
}
