@testable import EmporiumMail
import NIOCore
import Testing

/// The SMTP client's byte-level rules: replies read whole and bounded, extensions named without
/// their line ends, and the message's dots stuffed.
@Suite("SMTP: replies and dot-stuffing")
struct SMTPConversationTests {
    @Test func aMultilineReplyIsReadWholeAndItsLinesLoseTheirLineEnds() throws {
        var buffer = ByteBuffer(string: "250-mail.example\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 HELP\r\n220 next")
        let reply = try #require(try SMTPReply.take(from: &buffer))
        #expect(reply.code == 250)
        #expect(reply.lines == ["mail.example", "8BITMIME", "SMTPUTF8", "HELP"], "no \\r left on an extension's name")
        #expect(buffer.readableBytes == "220 next".utf8.count, "the next reply's first bytes stay for later")
        #expect(try SMTPReply.take(from: &buffer) == nil, "half a reply waits for more bytes")
    }

    @Test func aReplyThatIsNotSMTPOrEndlessIsAnError() {
        var garbage = ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\n")
        #expect(throws: SMTPReply.Malformed.self) { try SMTPReply.take(from: &garbage) }
        var endless = ByteBuffer(string: "250-" + String(repeating: "x", count: 5_000))
        #expect(throws: SMTPReply.Malformed.self) { try SMTPReply.take(from: &endless) }
        var many = ByteBuffer(string: String(repeating: "250-x\r\n", count: 300))
        #expect(throws: SMTPReply.Malformed.self) { try SMTPReply.take(from: &many) }
    }

    @Test func aLineStartingWithADotIsStuffedAndTheMessageEndsWithTheDotLine() {
        let stuffed = SMTPConversation.dotStuffed(Array("Subject: x\r\n\r\n.hidden\r\n..two\r\nend".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "Subject: x\r\n\r\n..hidden\r\n...two\r\nend\r\n.\r\n")
    }

    @Test func sendmailGetsLocalLineEnds() {
        #expect(SendmailTransport.unixLineEnds(Array("a\r\nb\r\n\r\nc".utf8)) == Array("a\nb\n\nc".utf8))
    }
}
