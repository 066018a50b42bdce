import EmporiumSupport
import Foundation
import Testing

/// Mail from the real binary to a real SMTP server (aiosmtpd, `Tests/Mail/smtp_sink.py`) on
/// loopback, and through the system's MTA program (msmtp): each message arrives once, parses as
/// MIME with Python's `email` package, carries the right order number and link; a reset link from
/// the mail resets the password; a server that drops the connection mid-message or refuses it for
/// now leads to retries, then delivery; `kill -9` between commit and delivery still delivers once.
@Suite("The real binary: mail over SMTP and through sendmail", .serialized)
struct MailDeliveryTests {
    static let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Mail").path
    let shop = ["X-Tenant-ID": "acme", "Content-Type": "application/json"]

    /// The sink, started and listening; nil (with an issue recorded) where aiosmtpd is missing.
    final class Sink {
        let process: SpawnedProcess
        let port: Int
        let out: String

        init(out: String, port: Int = 0, faults: [String] = []) async throws {
            self.out = out
            process = try SpawnedProcess("/usr/bin/env", ["python3", MailDeliveryTests.tools + "/smtp_sink.py", out, "--port", String(port), "--lifetime", "240"] + faults,
                                         environment: ProcessInfo.processInfo.environment)
            try? process.input.close()
            let buffer = OutputBuffer()
            PipeReader.copy(process.output, into: buffer)
            // Generous: Python importing asyncio and aiosmtpd took over 20 s once beside the rest of
            // `swift test` on two busy cores.
            let deadline = Date().addingTimeInterval(90)
            var found: Int?
            while found == nil, Date() < deadline, process.isRunning {
                if let range = buffer.text.range(of: #"listening \d+"#, options: .regularExpression) {
                    found = Int(buffer.text[range].split(separator: " ")[1])
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            guard let found else {
                kill(process.pid, SIGKILL)
                throw E2EFailure("the SMTP sink did not start: \(String(decoding: process.errorOutput.readDataToEndOfFile(), as: UTF8.self))")
            }
            self.port = found
        }

        func stop() {
            kill(process.pid, SIGKILL)
            _ = process.exitStatus(waiting: true)
        }
    }

    static func aiosmtpdIsInstalled() async -> Bool {
        (try? await SpawnedProcess.run("/usr/bin/env", ["python3", "-c", "import aiosmtpd"]).status) == 0
    }

    /// Every message the sink accepted, parsed by `parse_mail.py`, oldest first.
    func received(_ out: String) async throws -> [[String: Any]] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.hasSuffix(".eml") }.sorted().map { out + "/" + $0 }
        guard !files.isEmpty else { return [] }
        let run = try await SpawnedProcess.run("/usr/bin/env", ["python3", Self.tools + "/parse_mail.py"] + files)
        guard run.status == 0 else { throw E2EFailure("parse_mail.py: \(run.output)") }
        return try run.output.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// Waits (bounded) until the sink holds a message of `topic`; returns them all.
    func awaitTopic(_ topic: String, in out: String, count: Int = 1, seconds: Double = 30) async throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let all = try await received(out)
            if all.filter({ $0["topic"] as? String == topic }).count >= count { return all }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EFailure("no \(count) \(topic) message(s) within \(seconds) s; got \(try await received(out).map { $0["topic"] ?? "?" })")
    }

    func call(_ port: Int, _ method: String, _ path: String, token: String? = nil, body: String? = nil) throws -> HTTPAnswer {
        var headers = shop
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try RawHTTPConnection.request(port: port, method: method, path: path, headers: headers, body: body)
    }

    func accessToken(_ port: Int, _ email: String, _ password: String) throws -> String {
        let answer = try call(port, "POST", "/api/v1/auth/login", body: #"{"email":"\#(email)","password":"\#(password)"}"#)
        guard let token = (try answer.json()["data"] as? [String: Any])?["accessToken"] as? String else {
            throw E2EFailure("sign-in of \(email) failed: \(answer.status) \(answer.body)")
        }
        return token
    }

    func prepareShop(_ data: String) throws {
        #expect(try EmporiumProcess.run(["tenant", "create", "--name", "Acme & Söhne", "--subdomain", "acme"], dataDirectory: data).status == 0)
        let owner = try EmporiumProcess.run(["user", "create", "--tenant", "acme", "--email", "owner@acme.example", "--role", "owner", "--password-stdin"],
                                            dataDirectory: data, stdin: "passphrase-1234\n")
        #expect(owner.status == 0, "\(owner.stderr)")
    }

    @Test func smtpDeliversThroughDropsAndRefusalsResetsAPasswordAndSurvivesKillNine() async throws {
        guard await Self.aiosmtpdIsInstalled() else {
            Issue.record("needs aiosmtpd from PyPI (.ci/run installs it)")
            return
        }
        let data = EmporiumProcess.freshDataDirectory()
        let out = data + "-mail"
        defer { try? FileManager.default.removeItem(atPath: out) }
        try prepareShop(data)
        // The first message's connection is dropped in the middle of DATA, its second attempt refused with 451.
        let sink = try await Sink(out: out, faults: ["--drop-first", "1", "--refuse-first", "1"])
        defer { sink.stop() }
        let mailEnvironment = ["MAIL_URL": "smtp://127.0.0.1:\(sink.port)", "MAIL_FROM": "Acme Mail <shop@acme.example>",
                               "MAIL_RETRY_FIRST_DELAY": "1s", "PUBLIC_URL": "https://acme.example"]
        var server = try EmporiumProcess(dataDirectory: data, environment: mailEnvironment)
        defer { server.cleanUp() }
        var port = try server.waitForPort()

        // Sign-up: the verification mail arrives once, after the drop and the refusal.
        let registered = try call(port, "POST", "/api/v1/auth/register",
                                  body: #"{"email":"ann@example.com","password":"password-123","firstName":"Ann","lastName":"Lee"}"#)
        #expect(registered.status == 201, "\(registered.body)")
        var mail = try await awaitTopic("account.verify_email", in: out)
        let verification = try #require(mail.first)
        #expect(verification["problems"] as? [String] == [], "\(verification)")
        #expect((verification["from"] as? String)?.contains("shop@acme.example") == true)
        #expect(verification["autoSubmitted"] as? String == "auto-generated")
        #expect((verification["text"] as? String)?.contains("https://acme.example/#/verify-email?token=") == true)
        let owner = try accessToken(port, "owner@acme.example", "passphrase-1234")
        let listed = try call(port, "GET", "/api/v1/mail/messages?status=sent", token: owner)
        let sent = try #require((try listed.json()["data"] as? [String: Any])?["messages"] as? [[String: Any]])
        let first = try #require(sent.first { $0["topic"] as? String == "account.verify_email" })
        #expect(first["attempts"] as? Int == 3, "dropped, refused, delivered: \(first)")
        #expect((verification["messageId"] as? String)?.contains(first["id"] as! String) == true, "the Message-ID is the outbox id")

        // An address that is not ASCII goes out with SMTPUTF8 (RFC 6531), the header as it is (RFC 6532).
        let zoe = try call(port, "POST", "/api/v1/auth/register",
                           body: #"{"email":"zoë@exämple.de","password":"password-123","firstName":"Zoë","lastName":"Ünal"}"#)
        #expect(zoe.status == 201, "\(zoe.body)")
        mail = try await awaitTopic("account.verify_email", in: out, count: 2)
        let international = try #require(mail.first { ($0["to"] as? String)?.contains("zoë@exämple.de") == true })
        #expect(international["problems"] as? [String] == [], "\(international)")
        #expect((international["text"] as? String)?.contains("Zoë") == true)
        let envelopes = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".envelope") }
            .map { try String(contentsOfFile: out + "/" + $0, encoding: .utf8) }
        #expect(envelopes.contains { $0.contains("zoë@exämple.de") && $0.contains("SMTPUTF8") }, "\(envelopes)")

        // A reset link from the mail sets a new password.
        #expect(try call(port, "POST", "/api/v1/auth/password-reset", body: #"{"email":"ann@example.com"}"#).status == 202)
        mail = try await awaitTopic("account.password_reset", in: out)
        let reset = try #require(mail.first { $0["topic"] as? String == "account.password_reset" })
        let text = try #require(reset["text"] as? String)
        let link = try #require(text.range(of: #"token=[A-Za-z0-9_-]+"#, options: .regularExpression))
        let token = String(text[link].dropFirst(6))
        let confirmed = try call(port, "POST", "/api/v1/auth/password-reset/confirm", body: #"{"token":"\#(token)","newPassword":"brand-new-pass-1"}"#)
        #expect(confirmed.status == 200, "\(confirmed.body)")
        let ann = try accessToken(port, "ann@example.com", "brand-new-pass-1")

        // An order: its number and link are in the mail.
        let product = try call(port, "POST", "/api/v1/products", token: owner, body: #"{"name":"Teapot","sku":"POT","price":24.5,"status":"active","stock":5}"#)
        let productID = try #require((try product.json()["data"] as? [String: Any])?["id"] as? String)
        let order = try call(port, "POST", "/api/v1/orders", token: ann, body: #"{"items":[{"productId":"\#(productID)","quantity":2}]}"#)
        #expect(order.status == 201, "\(order.body)")
        let placed = try #require(try order.json()["data"] as? [String: Any])
        mail = try await awaitTopic("order.received", in: out)
        let orderMail = try #require(mail.first { $0["topic"] as? String == "order.received" })
        #expect((orderMail["subject"] as? String)?.contains("#\(placed["number"] as! Int)") == true, "\(orderMail["subject"] ?? "")")
        #expect((orderMail["text"] as? String)?.contains("https://acme.example/#/orders/\(placed["id"] as! String)") == true)
        #expect((orderMail["text"] as? String)?.contains("2 × Teapot") == true)
        #expect((orderMail["subject"] as? String)?.contains("Acme & Söhne") == true, "RFC 2047 decodes back to the shop's name")

        // The SMTP server goes away; a reset is committed; the box dies with kill -9 before it could send.
        sink.stop()
        #expect(try call(port, "POST", "/api/v1/auth/password-reset", body: #"{"email":"owner@acme.example"}"#).status == 202)
        try await Task.sleep(for: .milliseconds(300))
        server.signal(SIGKILL)
        try server.waitForExit(timeout: 10)
        let revived = try await Sink(out: out, port: sink.port)
        defer { revived.stop() }
        server = try EmporiumProcess(dataDirectory: data, environment: mailEnvironment)
        port = try server.waitForPort()
        mail = try await awaitTopic("account.password_reset", in: out, count: 2)
        try await Task.sleep(for: .seconds(3))
        mail = try await received(out)
        let ownersResets = mail.filter { $0["topic"] as? String == "account.password_reset" && ($0["to"] as? String)?.contains("owner@acme.example") == true }
        #expect(ownersResets.count == 1, "delivered once after the restart")
        let ids = mail.compactMap { $0["messageId"] as? String }
        #expect(Set(ids).count == ids.count, "no message arrived twice: \(ids)")
        for message in mail { #expect(message["problems"] as? [String] == [], "\(message)") }
        _ = port
    }

    @Test func sendmailHandsTheMessageToTheSystemsMTA() async throws {
        guard await Self.aiosmtpdIsInstalled() else {
            Issue.record("needs aiosmtpd from PyPI (.ci/run installs it)")
            return
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/msmtp") else {
            Issue.record("needs Debian's msmtp as the MTA (.ci/run installs it)")
            return
        }
        let data = EmporiumProcess.freshDataDirectory()
        let out = data + "-mail"
        defer { try? FileManager.default.removeItem(atPath: out) }
        try prepareShop(data)
        let sink = try await Sink(out: out)
        defer { sink.stop() }
        // msmtp as the box's sendmail, relaying to the sink.
        let rc = data + "-msmtprc"
        try "account default\nhost 127.0.0.1\nport \(sink.port)\nauth off\ntls off\nfrom shop@acme.example\n".write(toFile: rc, atomically: true, encoding: .utf8)
        chmod(rc, 0o600)
        let wrapper = data + "-sendmail"
        try "#!/bin/sh\nexec /usr/bin/msmtp --file=\(rc) \"$@\"\n".write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        defer { try? FileManager.default.removeItem(atPath: rc); try? FileManager.default.removeItem(atPath: wrapper) }
        let server = try EmporiumProcess(dataDirectory: data, environment: ["MAIL_URL": "sendmail://\(wrapper)", "MAIL_FROM": "shop@acme.example"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let owner = try accessToken(port, "owner@acme.example", "passphrase-1234")
        let status = try call(port, "GET", "/api/v1/mail/status", token: owner)
        #expect((try status.json()["data"] as? [String: Any])?["transport"] as? String == "sendmail")
        #expect(try call(port, "POST", "/api/v1/mail/templates/mail.test/test", token: owner).status == 202)
        let mail = try await awaitTopic("mail.test", in: out)
        let test = try #require(mail.first)
        #expect(test["problems"] as? [String] == [], "\(test)")
        #expect((test["to"] as? String)?.contains("owner@acme.example") == true)
        #expect((test["text"] as? String)?.contains("Mail works") == true)
        let envelope = try String(contentsOfFile: out + "/0001.envelope", encoding: .utf8)
        #expect(envelope.hasPrefix("shop@acme.example\nowner@acme.example"), "\(envelope)")
    }
}
