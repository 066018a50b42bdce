import Foundation
import Mustache

/// A message's words: a subject, a plain-text body and an HTML body, each a Mustache template
/// over the message's payload. Every topic has a default (`MailTopic.defaultTemplate`); a shop may
/// keep its own version, in its own language (`PUT /mail/templates/{topic}`).
public struct MailTemplate: Sendable, Equatable, Codable {
    public var subject: String
    public var text: String
    public var html: String

    public init(subject: String, text: String, html: String) {
        self.subject = subject
        self.text = text
        self.html = html
    }

    /// The largest body a shop may store (the column's limit); a subject is one line of at most 500.
    public static let maximumBodyCharacters = 65_536
    public static let maximumSubjectCharacters = 500

    /// Checks a shop's template before it is stored, so a message never fails at send time for a
    /// reason the editor could have been told: sizes, Mustache syntax, and the tags a shop may not
    /// use. Unescaped output (`{{{…}}}`, `{{&…}}`) would put a customer's own text into the HTML
    /// as markup; a content-type pragma (`{{%…}}`) would switch escaping off; partials (`{{>…}}`)
    /// and parents (`{{<…}}`) are how a template could include itself, so none resolve.
    public func validated() throws -> MailTemplate {
        var issues: [FieldIssue] = []
        let subject = self.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        if subject.isEmpty { issues.append(FieldIssue(field: "subject", message: "is required")) }
        if subject.unicodeScalars.count > Self.maximumSubjectCharacters {
            issues.append(FieldIssue(field: "subject", message: "is longer than \(Self.maximumSubjectCharacters) characters"))
        }
        if subject.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            issues.append(FieldIssue(field: "subject", message: "must be one line"))
        }
        for (field, body) in [("text", text), ("html", html)] where body.unicodeScalars.count > Self.maximumBodyCharacters {
            issues.append(FieldIssue(field: field, message: "is longer than \(Self.maximumBodyCharacters) characters"))
        }
        if !issues.isEmpty { throw DomainError.validation(issues) }
        for (field, source) in [("subject", subject), ("text", text), ("html", html)] {
            for tag in ["{{{", "{{&", "{{%", "{{>", "{{<", "{{$", "{{="] where source.contains(tag) {
                issues.append(FieldIssue(field: field, message: "may not use \(tag)…}}: values are always escaped and templates include nothing"))
            }
            do {
                _ = try MustacheTemplate(string: source)
            } catch {
                issues.append(FieldIssue(field: field, message: "is not a valid Mustache template: \(error)"))
            }
        }
        if !issues.isEmpty { throw DomainError.validation(issues) }
        return MailTemplate(subject: subject, text: text, html: html)
    }
}
