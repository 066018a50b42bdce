import Foundation
import Mustache

/// A message made from a template and a payload: what the MIME writer puts on the wire.
public struct RenderedMail: Sendable, Equatable {
    public var subject: String
    public var text: String
    public var html: String
}

/// Renders a `MailTemplate` over a payload. Values are escaped for HTML by Unicode scalars
/// (`HTMLText`), never by Swift `Character`s as Mustache's own HTML escaping does: a combining
/// mark joins a `<` into one character that a character-wise escaper passes through whole. The
/// subject and the text body are not escaped at all (they are not HTML), and the subject is put on
/// one line, so a name holding CR/LF can never add a header.
public enum MailRenderer {
    /// The most a rendered body may hold; a larger one is refused rather than sent.
    public static let maximumRenderedBytes = 1 << 20

    public static func render(_ template: MailTemplate, payload: JSONValue) throws -> RenderedMail {
        ScalarHTMLMustache.register()
        let data = mustacheValue(payload)
        // The pragma stands on a line of its own, which Mustache drops whole: a template that starts
        // with a combining mark or a joiner cannot fuse with the pragma's closing braces into one
        // Character (a line break never joins a grapheme cluster).
        let subjectTemplate = try parse("{{% CONTENT_TYPE: TEXT}}\n" + template.subject, field: "subject")
        let textTemplate = try parse("{{% CONTENT_TYPE: TEXT}}\n" + template.text, field: "text")
        let htmlTemplate = try parse(ScalarHTMLMustache.pragma + template.html, field: "html")
        let subject = oneLine(subjectTemplate.render(data))
        let text = textTemplate.render(data)
        let html = htmlTemplate.render(data)
        guard !subject.isEmpty else { throw DomainError.invalid("subject", "renders empty") }
        for (name, body) in [("text", text), ("html", html)] where body.utf8.count > maximumRenderedBytes {
            throw DomainError.invalid(name, "renders to more than \(maximumRenderedBytes) bytes")
        }
        return RenderedMail(subject: String(String.UnicodeScalarView(subject.unicodeScalars.prefix(MailTemplate.maximumSubjectCharacters))),
                            text: text, html: html)
    }

    static func parse(_ source: String, field: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: source)
        } catch {
            throw DomainError.invalid(field, "is not a valid Mustache template: \(error)")
        }
    }

    /// CR, LF and every other control character become spaces, runs of spaces one.
    public static func oneLine(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let space = scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == " " || scalar == "\t"
            if space {
                if !lastWasSpace, !result.isEmpty { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(scalar)
                lastWasSpace = false
            }
        }
        return String(result).trimmingCharacters(in: .whitespaces)
    }

    /// Mustache reads dictionaries and arrays; a JSON payload becomes them. Numbers print without a
    /// needless `.0`; `false`, `null` and empty arrays are falsy sections.
    static func mustacheValue(_ value: JSONValue) -> Any {
        switch value {
        case .null: return Optional<String>.none as Any
        case .bool(let flag): return flag
        case .number(let number):
            return number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): return text
        case .array(let elements): return elements.map(mustacheValue)
        case .object(let members): return members.mapValues(mustacheValue)
        }
    }
}
