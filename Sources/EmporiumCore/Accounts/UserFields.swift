import Foundation

/// Validation of the identity fields every user has, shared by sign-up, profile edits and the
/// users admin API so the rules cannot drift apart.
enum UserFields {
    static func validate(email: String, firstName: String, lastName: String) throws -> (email: String, firstName: String, lastName: String) {
        var issues: [FieldIssue] = []
        let email = collect(&issues) { try EmailAddress.normalize(email) }
        let first = collect(&issues) { try name(firstName, field: "firstName") }
        let last = collect(&issues) { try name(lastName, field: "lastName") }
        guard issues.isEmpty, let email, let first, let last else { throw DomainError.validation(issues) }
        return (email, first, last)
    }

    static func name(_ raw: String, field: String) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(value.count) else { throw DomainError.invalid(field, "must be 1 to 100 characters") }
        return value
    }
}
