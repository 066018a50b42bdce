import NIOCore

/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines, read from a buffer
/// that collects what the server sent. Bounded: a server that sends endless lines or one endless
/// line is an error, not a memory leak.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    var text: String { lines.joined(separator: " / ") }
    var isPositive: Bool { (200..<400).contains(code) }
    var isPermanentFailure: Bool { (500..<600).contains(code) }

    static let maximumLineBytes = 4_096
    static let maximumLines = 200

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// Takes one whole reply off the front of `buffer`, or returns nil when more bytes are needed.
    static func take(from buffer: inout ByteBuffer) throws -> SMTPReply? {
        var lines: [String] = []
        var probe = buffer
        while true {
            let view = probe.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if view.count > maximumLineBytes { throw Malformed(description: "an SMTP reply line longer than \(maximumLineBytes) bytes") }
                return nil
            }
            let length = newline - view.startIndex + 1
            guard length <= maximumLineBytes + 2 else { throw Malformed(description: "an SMTP reply line longer than \(maximumLineBytes) bytes") }
            // Line ends are cut as bytes: "\r\n" is one Swift Character, which hasSuffix("\n") never matches.
            var utf8 = probe.readBytes(length: length) ?? []
            while let last = utf8.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { utf8.removeLast() }
            let line = String(decoding: utf8, as: UTF8.self)
            guard utf8.count >= 3, let code = Int(String(decoding: utf8[0..<3], as: UTF8.self)), (200..<600).contains(code) else {
                throw Malformed(description: "not an SMTP reply: \(line.prefix(80))")
            }
            let continues = utf8.count > 3 && utf8[3] == UInt8(ascii: "-")
            lines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
            guard lines.count <= maximumLines else { throw Malformed(description: "an SMTP reply of more than \(maximumLines) lines") }
            if !continues {
                buffer = probe
                return SMTPReply(code: code, lines: lines)
            }
        }
    }
}
