import EmporiumCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A small SMTP submission client (RFC 5321, 3207, 4954, 6531) on SwiftNIO: one connection per
/// message, EHLO, STARTTLS (required unless the server is this machine), AUTH PLAIN or LOGIN,
/// SMTPUTF8 and 8BITMIME when the server offers them, dot-stuffing, and one deadline over the whole
/// conversation. No SMTP library is in the offline package set; this is what a transactional
/// sender needs and no more (no pipelining, no connection reuse).
public struct SMTPTransport: MailTransport {
    let url: MailURL
    /// What EHLO says we are: the sender's domain.
    let heloName: String
    let timeout: Duration
    let group: any EventLoopGroup
    /// Made once: building a TLS context reads the system's trust store, which cost more than the
    /// whole conversation with a loopback server when it was made per message.
    private let tlsContext = TLSContextCache()

    public init(url: MailURL, heloName: String, timeout: Duration = .seconds(60), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.url = url
        self.heloName = heloName
        self.timeout = timeout
        self.group = group
    }

    public var name: String { url.kind.rawValue }

    public func send(_ message: MIMEMessage) async throws {
        let tls = try makeTLSContext()
        let host = url.host
        let implicitTLS = url.kind == .smtps
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(15))
                .connect(host: host, port: url.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw OutboxFailure.unavailable("cannot connect to \(url.host):\(url.port): \(error)")
        }
        let deadline = timeout
        let underlying = channel.channel
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var conversation = SMTPConversation(inbound: inbound.makeAsyncIterator(), outbound: outbound, channel: underlying,
                                                        url: url, heloName: heloName, tls: tls, tlsActive: implicitTLS)
                    try await conversation.deliver(message)
                }
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                underlying.close(promise: nil)
                throw OutboxFailure.unavailable("the SMTP server at \(host) did not finish within \(deadline)")
            }
            do {
                try await group.next()
                group.cancelAll()
            } catch {
                group.cancelAll()
                underlying.close(promise: nil)
                throw error
            }
        }
    }

    func makeTLSContext() throws -> NIOSSLContext {
        try tlsContext.get { try Self.newTLSContext(url) }
    }

    static func newTLSContext(_ url: MailURL) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let roots = url.trustRoots { configuration.additionalTrustRoots = [.file(roots)] }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw OutboxFailure.temporary("cannot set up TLS: \(error)")
        }
    }

    /// SNI takes a name, never an address.
    static func sniName(_ host: String) -> String? {
        host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" || $0 == "[" || $0 == "]" } ? nil : host
    }
}

/// The commands and replies of one message's delivery.
struct SMTPConversation {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel
    let url: MailURL
    let heloName: String
    let tls: NIOSSLContext
    var tlsActive: Bool
    var buffer = ByteBuffer()

    mutating func deliver(_ message: MIMEMessage) async throws {
        try expect(try await reply(), "greeting")
        var extensions = try await hello()
        if !tlsActive {
            if extensions.keys.contains("STARTTLS") {
                try await command("STARTTLS", "STARTTLS")
                let handler = try NIOSSLClientHandler(context: tls, serverHostname: SMTPTransport.sniName(url.host))
                try await channel.pipeline.addHandler(handler, position: .first)
                tlsActive = true
                buffer.clear()
                extensions = try await hello()
            } else if !url.isLoopback {
                throw OutboxFailure.temporary("\(url.host) does not offer STARTTLS; mail to a server that is not this machine is never sent in the clear")
            }
        }
        if let user = url.username, let password = url.password {
            try await authenticate(user: user, password: password, offered: extensions["AUTH"] ?? "")
        }
        let needsUTF8 = message.needsSMTPUTF8
        if needsUTF8, !extensions.keys.contains("SMTPUTF8") {
            throw OutboxFailure.permanent("the address needs SMTPUTF8, which \(url.host) does not offer (it offers \(extensions.keys.sorted().joined(separator: " ")))")
        }
        var mailFrom = "MAIL FROM:<\(message.from.address)>"
        if needsUTF8 {
            mailFrom += " SMTPUTF8"
            if extensions.keys.contains("8BITMIME") { mailFrom += " BODY=8BITMIME" }
        }
        try await command(mailFrom, "MAIL FROM", permanentOn5xx: true)
        try await command("RCPT TO:<\(message.to.address)>", "RCPT TO", permanentOn5xx: true)
        try await command("DATA", "DATA", permanentOn5xx: true)
        try await outbound.write(ByteBuffer(bytes: Self.dotStuffed(message.encoded())))
        try expect(try await reply(), "end of data", permanentOn5xx: true)
        // The message is accepted: a failed QUIT changes nothing.
        try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
    }

    /// EHLO, answering the offered extensions by keyword (`AUTH` → `PLAIN LOGIN`).
    mutating func hello() async throws -> [String: String] {
        try await outbound.write(ByteBuffer(string: "EHLO \(heloName)\r\n"))
        let answer = try await reply()
        try expect(answer, "EHLO")
        var extensions: [String: String] = [:]
        for line in answer.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let keyword = parts.first else { continue }
            extensions[keyword.uppercased()] = parts.count > 1 ? String(parts[1]).uppercased() : ""
        }
        return extensions
    }

    mutating func authenticate(user: String, password: String, offered: String) async throws {
        let mechanisms = offered.split(separator: " ").map(String.init)
        if mechanisms.contains("PLAIN") {
            let credentials = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try await command("AUTH PLAIN \(credentials)", "AUTH PLAIN", shown: "AUTH PLAIN ********")
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", "AUTH LOGIN")
            try await command(Data(user.utf8).base64EncodedString(), "AUTH LOGIN user", shown: "********")
            try await command(Data(password.utf8).base64EncodedString(), "AUTH LOGIN password", shown: "********")
        } else {
            throw OutboxFailure.temporary("\(url.host) offers neither AUTH PLAIN nor AUTH LOGIN (offered: \(offered.isEmpty ? "none" : offered))")
        }
    }

    mutating func command(_ line: String, _ step: String, permanentOn5xx: Bool = false, shown: String? = nil) async throws {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        try expect(try await reply(), step, permanentOn5xx: permanentOn5xx)
    }

    func expect(_ reply: SMTPReply, _ step: String, permanentOn5xx: Bool = false) throws {
        guard reply.isPositive else {
            let text = "\(url.host) answered \(step) with \(reply.code) \(reply.text)"
            // 530/535 and friends are the box's configuration, not the message: retried while someone fixes it.
            if permanentOn5xx, reply.isPermanentFailure, ![530, 534, 535, 538].contains(reply.code) { throw OutboxFailure.permanent(text) }
            throw OutboxFailure.temporary(text)
        }
    }

    mutating func reply() async throws -> SMTPReply {
        while true {
            do {
                if let reply = try SMTPReply.take(from: &buffer) { return reply }
            } catch {
                throw OutboxFailure.temporary("\(url.host): \(error)")
            }
            guard var chunk = try await inbound.next() else {
                throw OutboxFailure.unavailable("\(url.host) closed the connection")
            }
            buffer.writeBuffer(&chunk)
        }
    }

    /// CRLF line ends, a `.` doubled at the start of a line, and the closing `.` line.
    static func dotStuffed(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 64 + 5)
        var atLineStart = true
        for byte in bytes {
            if atLineStart, byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !(out.count >= 2 && out[out.count - 2] == 13 && out[out.count - 1] == 10) { out += [13, 10] }
        out += Array(".\r\n".utf8)
        return out
    }
}

/// The transport's TLS context, made on first use and kept.
final class TLSContextCache: Sendable {
    private let context = Mutex<NIOSSLContext?>(nil)

    func get(_ make: () throws -> NIOSSLContext) throws -> NIOSSLContext {
        try context.withLock { stored in
            if let stored { return stored }
            let made = try make()
            stored = made
            return made
        }
    }
}
