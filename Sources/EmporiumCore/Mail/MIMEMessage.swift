import Foundation

/// An e-mail as RFC 5322 and MIME write it: headers, then a multipart/alternative body with a
/// plain-text and an HTML part. Lines end in CRLF. Header text that is not plain ASCII is written
/// as RFC 2047 encoded words, so a name or subject holding CR, LF or anything else can never start
/// a header of its own. Addresses that are not ASCII are written as they are (RFC 6532) and need
/// a server that offers SMTPUTF8.
public struct MIMEMessage: Sendable {
    public var from: MailAddress
    public var to: MailAddress
    public var replyTo: MailAddress?
    public var subject: String
    public var text: String
    public var html: String
    /// Stable across retries: a receiver that sees the same id twice knows it is one message.
    public var messageID: UUID
    public var date: Date
    /// `Auto-Submitted: auto-generated` (RFC 3834), so vacation responders do not answer.
    public var autoSubmitted: Bool
    /// e.g. `X-Emporium-Topic`; names and values are checked like everything else.
    public var extraHeaders: [(String, String)]

    public init(from: MailAddress, to: MailAddress, replyTo: MailAddress? = nil, subject: String, text: String, html: String,
                messageID: UUID, date: Date, autoSubmitted: Bool = true, extraHeaders: [(String, String)] = []) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.autoSubmitted = autoSubmitted
        self.extraHeaders = extraHeaders
    }

    /// `<id@domain-of-the-sender>`.
    public var messageIDHeader: String { "<\(messageID.lowercased)@\(from.domain)>" }

    /// Whether sending needs SMTPUTF8: an address is not ASCII.
    public var needsSMTPUTF8: Bool { from.isInternational || to.isInternational || (replyTo?.isInternational ?? false) }

    /// The message's bytes, ready for SMTP's DATA (before dot-stuffing) or sendmail's standard input.
    public func encoded() -> [UInt8] {
        let boundary = "=_emporium_" + messageID.uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var lines: [String] = []
        lines.append("Date: " + Self.rfc5322Date(date))
        lines.append(Self.folded("From", Self.mailbox(from)))
        lines.append(Self.folded("To", Self.mailbox(to)))
        if let replyTo { lines.append(Self.folded("Reply-To", Self.mailbox(replyTo))) }
        lines.append("Message-ID: " + messageIDHeader)
        lines.append(Self.unstructured("Subject", subject))
        lines.append("MIME-Version: 1.0")
        if autoSubmitted { lines.append("Auto-Submitted: auto-generated") }
        for (name, value) in extraHeaders where Self.isHeaderName(name) {
            lines.append(Self.unstructured(name, value))
        }
        lines.append(Self.folded("Content-Type", ["multipart/alternative;", "boundary=\"\(boundary)\""]))
        lines.append("")
        lines.append("This is a multi-part message in MIME format.")
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines.append("--" + boundary)
            lines.append("Content-Type: \(type); charset=utf-8")
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines.append(contentsOf: Self.base64Lines(Array(Self.crlf(body).utf8)))
        }
        lines.append("--" + boundary + "--")
        lines.append("")
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    // MARK: - Header encoding

    /// The words of `Name <address>`, the name as encoded words unless it is plain ASCII without specials.
    static func mailbox(_ mailbox: MailAddress) -> [String] {
        guard let name = mailbox.name.map(MailRenderer.oneLine), !name.isEmpty else { return ["<\(mailbox.address)>"] }
        return phrase(name) + ["<\(mailbox.address)>"]
    }

    /// A display name: its words as they are when it is ASCII letters, digits and spaces (and a few
    /// safe marks), else RFC 2047 encoded words.
    static func phrase(_ text: String) -> [String] {
        let plain = text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil || " -_'!#$%&*+/=?^`{|}~".unicodeScalars.contains(scalar))
        }
        return plain ? text.split(separator: " ").map(String.init) : encodedWords(text)
    }

    /// A header whose value is free text (Subject): ASCII words as they are, or encoded words when
    /// it holds anything else. Control characters are gone before either.
    static func unstructured(_ name: String, _ value: String) -> String {
        let text = MailRenderer.oneLine(value)
        let printable = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
        if printable && !text.contains("=?") && !text.split(separator: " ").contains(where: { $0.utf8.count > 70 }) {
            return folded(name, text.split(separator: " ").map(String.init))
        }
        return folded(name, encodedWords(text))
    }

    /// `Name: word word…`, folded (CRLF + space) so that no line passes 78 characters.
    static func folded(_ name: String, _ words: [String]) -> String {
        var result = name + ":"
        var lineLength = result.utf8.count
        for word in words {
            if lineLength + 1 + word.utf8.count > 78, lineLength > name.utf8.count + 1 {
                result += "\r\n " + word
                lineLength = 1 + word.utf8.count
            } else {
                result += " " + word
                lineLength += 1 + word.utf8.count
            }
        }
        return result
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 60 characters, split between Unicode scalars.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            // 36 bytes of UTF-8 are 48 characters of base64: with `=?UTF-8?B?` and `?=` that is 60,
            // so a word fits on a line after any header name we write.
            if chunk.count + bytes.count > 36 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }
    }

    // MARK: - Bodies

    /// Every line break as CRLF.
    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[start..<end]))
            start = end
        }
        return lines
    }

    // MARK: - Date

    /// `Mon, 07 Dec 2026 18:30:05 +0000` (RFC 5322 §3.3), always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
