@testable import EmporiumCore
import Foundation
import Testing

/// The rules of a message's words and shape: escaping by Unicode scalars, no header a value can
/// add, RFC 2047 for what is not ASCII, templates a shop may not break, and the retry schedule.
@Suite("Mail: templates, rendering, MIME, retries")
struct MailRulesTests {
    static let template = MailTemplate(subject: "Order #{{orderNumber}} for {{firstName}}", text: "Hi {{firstName}} <{{link}}>", html: "<p>Hi {{firstName}}</p>")

    @Test func htmlValuesAreEscapedByScalarsAndTextValuesAreLeftAlone() throws {
        // A combining mark after `<` makes one Character of them: a Character-wise escaper misses the `<`.
        let name = "<\u{0301}script>alert(1)</script>"
        let rendered = try MailRenderer.render(Self.template, payload: .object(["firstName": .string(name), "orderNumber": "1001", "link": "https://x/"]))
        #expect(!rendered.html.contains("<\u{0301}script"))
        #expect(rendered.html.contains("&lt;\u{0301}script&gt;"))
        #expect(rendered.text.contains(name), "the text part is not HTML: nothing is escaped")
    }

    @Test(arguments: ["\u{0301}<i>", "\u{200D}\"&", "\u{0600}x"])
    func aTemplateStartingWithAMarkRendersAsWrittenOrIsRefusedNeverAFault(_ start: String) throws {
        let template = MailTemplate(subject: start + "{{orderNumber}}", text: start + "t", html: start + "h")
        let rendered = try MailRenderer.render(template, payload: .object(["orderNumber": "7"]))
        #expect(rendered.subject == start + "7")
        #expect(rendered.text == start + "t")
        #expect(rendered.html == start + "h", "the template's own markup is the editor's; only values are escaped")
    }

    @Test func aSubjectIsOneLineWhateverTheValuesHold() throws {
        let rendered = try MailRenderer.render(Self.template, payload: .object(["firstName": "Eve\r\nBcc: victim@example.com", "orderNumber": "1"]))
        #expect(!rendered.subject.contains("\r") && !rendered.subject.contains("\n"))
        #expect(rendered.subject == "Order #1 for Eve Bcc: victim@example.com")
    }

    @Test(arguments: ["{{{firstName}}}", "{{&firstName}}", "{{% CONTENT_TYPE: TEXT}}{{firstName}}", "{{>self}}", "{{<parent}}{{/parent}}", "{{=<% %>=}}"])
    func tagsThatUnescapeOrIncludeAreRefused(_ body: String) {
        #expect(throws: DomainError.self) { try MailTemplate(subject: "s", text: "t", html: body).validated() }
    }

    @Test func anOversizedOrBrokenTemplateIsRefusedWithTheFieldNamed() {
        let huge = String(repeating: "x", count: 10 * 1024 * 1024)
        #expect(throws: DomainError.invalid("html", "is longer than 65536 characters")) {
            try MailTemplate(subject: "s", text: "t", html: huge).validated()
        }
        #expect(throws: DomainError.self) { try MailTemplate(subject: "s", text: "{{#open}}never closed", html: "h").validated() }
        #expect(throws: DomainError.self) { try MailTemplate(subject: "two\nlines", text: "t", html: "h").validated() }
    }

    @Test func everyDefaultTemplateValidatesAndRendersItsSample() throws {
        for topic in MailTopic.allCases {
            let checked = try topic.defaultTemplate.validated()
            let data = try MailSender.renderingData(topic.samplePayload, shop: ShopMailIdentity(name: "Ada's Shop", baseURL: "https://shop.example"),
                                                    box: SecretBox(encryptionKey: "k"))
            let rendered = try MailRenderer.render(checked, payload: data)
            #expect(!rendered.subject.isEmpty, "\(topic)")
            #expect(!rendered.subject.contains("{{"), "\(topic)")
        }
    }

    @Test func linksBecomeAbsoluteAndASealedTokenIsOpenedIntoTheLinkOnly() throws {
        let box = SecretBox(encryptionKey: "a key for this test")
        let payload: JSONValue = .object(["link": "/#/reset-password?token={token}", "sealedToken": .string(try box.seal("tok123")), "other": "/x"])
        let data = try MailSender.renderingData(payload, shop: ShopMailIdentity(name: "S", baseURL: "https://s.example/"), box: box)
        guard case .object(let members) = data else { Issue.record("not an object"); return }
        #expect(members["link"] == .string("https://s.example/#/reset-password?token=tok123"))
        #expect(members["sealedToken"] == nil)
        #expect(members["other"] == .string("/x"), "only link and …Link keys are addresses")
        #expect(members["shopURL"] == .string("https://s.example/"))
    }

    static func message(name: String?, subject: String, to: String = "ada@example.com") -> MIMEMessage {
        MIMEMessage(from: MailAddress(name: name, address: "shop@example.com"), to: MailAddress(address: to), subject: subject,
                    text: "line one\n.leading dot\n", html: "<p>hi</p>", messageID: UUID(uuidString: "11111111-2222-3333-4444-555555555555")!,
                    date: Date(timeIntervalSince1970: 1_800_000_000))
    }

    static func headerLines(_ message: MIMEMessage) -> [String] {
        let text = String(decoding: message.encoded(), as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        return head.components(separatedBy: "\r\n")
    }

    @Test func namesAndSubjectsNeverAddAHeader() {
        let message = Self.message(name: "Shop\r\nBcc: everyone@example.com", subject: "Hello\r\nX-Injected: yes\nBcc: a@b.c")
        let lines = Self.headerLines(message)
        #expect(!lines.contains { $0.hasPrefix("Bcc:") || $0.hasPrefix("X-Injected:") })
        // Every header line is a header or the folded continuation of one.
        for line in lines {
            #expect(line.hasPrefix(" ") || line.range(of: #"^[A-Za-z-]+: "#, options: .regularExpression) != nil, "\(line)")
        }
        let bytes = message.encoded()
        for (index, byte) in bytes.enumerated() where byte == 10 {
            #expect(index > 0 && bytes[index - 1] == 13, "a bare LF at \(index)")
        }
    }

    @Test func unicodeGoesIntoEncodedWordsAndTheMessageIDIsTheOutboxID() {
        let message = Self.message(name: "Café Zoë", subject: "Ihre Bestellung über 20 € ✓")
        let lines = Self.headerLines(message)
        let subject = lines.first { $0.hasPrefix("Subject:") }
        #expect(subject?.contains("=?UTF-8?B?") == true)
        for line in lines { #expect(line.utf8.count <= 78, "\(line)") }
        #expect(lines.contains("Message-ID: <11111111-2222-3333-4444-555555555555@example.com>"))
        #expect(lines.contains("Date: Fri, 15 Jan 2027 08:00:00 +0000"))
        #expect(lines.contains("Auto-Submitted: auto-generated"))
        #expect(lines.contains { $0.hasPrefix("From: =?UTF-8?B?") && $0.hasSuffix("<shop@example.com>") })
        #expect(!message.needsSMTPUTF8)
        #expect(Self.message(name: nil, subject: "s", to: "zoë@exämple.de").needsSMTPUTF8)
    }

    @Test func addressesThatCouldBreakACommandLineAreNotSafe() {
        #expect(MailAddress(address: "ada@example.com").isSafeOnTheWire)
        #expect(!MailAddress(address: "a>b@example.com").isSafeOnTheWire)
        #expect(!MailAddress(address: "a@example.com> NOTIFY=NEVER <x").isSafeOnTheWire)
        #expect(!MailAddress(address: "a\r\nRCPT TO:<b@example.com").isSafeOnTheWire)
        #expect(MailAddress(address: "zoë@example.de").isSafeOnTheWire)
    }

    @Test func theRetryScheduleDoublesFromThirtySecondsToThreeHoursOverAboutADay() {
        let schedule = RetrySchedule.standard
        #expect(schedule.delay(afterAttempt: 1) == 30)
        #expect(schedule.delay(afterAttempt: 2) == 60)
        #expect(schedule.delay(afterAttempt: 10) == 10_800)
        #expect(schedule.delay(afterAttempt: 16) == nil)
        let hours = schedule.totalSpan / 3600
        #expect(hours > 20 && hours < 26, "\(hours) h")
    }

    @Test func mailURLsAreCheckedAndTheirPasswordNeverShown() throws {
        let smtp = try MailURL.parse("smtp://user%40x:p%3Ass@mail.example.com:587")
        #expect(smtp.username == "user@x" && smtp.password == "p:ss" && smtp.port == 587 && !smtp.isLoopback)
        #expect(!smtp.description.contains("p:ss"))
        #expect(try MailURL.parse("smtps://mail.example.com").port == 465)
        #expect(try MailURL.parse("sendmail:///usr/sbin/sendmail").program == "/usr/sbin/sendmail")
        #expect(try MailURL.parse("smtp://127.0.0.1:2525").isLoopback)
        for bad in ["http://x", "smtp://", "sendmail://relative", "smtp://u@host", "smtp://host:0", "smtp://host?verify=none"] {
            #expect(throws: ConfigError.self, "\(bad)") { try MailURL.parse(bad) }
        }
        do {
            _ = try MailURL.parse("smtp://u:secret@host?verify=none")
        } catch {
            #expect(!"\(error)".contains("secret"))
        }
    }
}
