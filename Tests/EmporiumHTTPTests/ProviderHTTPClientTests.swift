import Crypto
import EmporiumCore
@testable import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdTLS
import NIOCore
import NIOSSL
import SwiftASN1
import Testing
#if canImport(Glibc)
import Glibc
#endif
import X509

/// A certificate for `localhost` only, made for one test run, and the client trust that accepts it.
struct LocalCertificate {
    let certificate: NIOSSLCertificate
    let key: NIOSSLPrivateKey
    let certificatePEM: String
    let keyPEM: String

    init() throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("localhost") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-60), notValidAfter: now.addingTimeInterval(3_600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                SubjectAlternativeNames([.dnsName("localhost")])
            },
            issuerPrivateKey: .init(key)
        )
        self.certificatePEM = try certificate.serializeAsPEM().pemString
        self.keyPEM = key.pemRepresentation
        self.certificate = try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
        self.key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
    }

    var serverConfiguration: TLSConfiguration {
        .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
    }

    var trustingClient: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([certificate])
        return configuration
    }
}

/// The provider client against real sockets: TLS with verification, the request as sent, and the
/// limits that keep a misbehaving provider from holding a checkout or memory.
@Suite("Provider HTTP client")
struct ProviderHTTPClientTests {
    /// Serves `router` over TLS (or plain HTTP) on a loopback port and runs `body` with the port.
    static func serve(tls: TLSConfiguration?, _ router: Router<BasicRequestContext>,
                      _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0))
        let app = if let tls {
            Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: configuration)
        } else {
            Application(router: router, configuration: configuration)
        }
        try await app.test(.live) { client in
            guard let port = client.port else { throw TestFailure("no port") }
            try await body(port)
        }
    }

    static var echo: Router<BasicRequestContext> {
        let router = Router()
        router.post("v1/echo") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 65_536)
            let answer = """
                {"host":"\(request.head.authority ?? "")","query":"\(request.uri.query ?? "")",\
                "key":"\(request.headers[HTTPField.Name("Idempotency-Key")!] ?? "")","body":"\(String(buffer: body))"}
                """
            return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        router.post("v1/huge") { _, _ in String(repeating: "x", count: ProviderHTTPClient.maximumResponseBytes + 1) }
        // Answers at once, then stalls: a byte every 100 ms for ten seconds. It stops as soon as
        // the client hangs up, so the server's shutdown does not wait for it.
        router.post("v1/slow") { _, _ -> Response in
            Response(status: .ok, body: ResponseBody { writer in
                for _ in 0..<100 {
                    try await Task.sleep(for: .milliseconds(100))
                    try await writer.write(ByteBuffer(string: "x"))
                }
                try await writer.finish(nil)
            })
        }
        return router
    }

    static func post(_ url: String, body: String = "amount=100") -> PaymentHTTPRequest {
        PaymentHTTPRequest(method: "POST", url: url, headers: ["Idempotency-Key": "emporium-order-1-intent",
                                                               "Content-Type": "application/x-www-form-urlencoded"], body: Data(body.utf8))
    }

    @Test func sendsTheRequestOverVerifiedTLSAndReadsTheAnswer() async throws {
        let local = try LocalCertificate()
        try await Self.serve(tls: local.serverConfiguration, Self.echo) { port in
            let client = ProviderHTTPClient(tlsConfiguration: local.trustingClient)
            let response = try await client.send(Self.post("https://localhost:\(port)/v1/echo?expand=x"))
            #expect(response.status == 201)
            let answer = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: String])
            #expect(answer == ["host": "localhost:\(port)", "query": "expand=x", "key": "emporium-order-1-intent", "body": "amount=100"])
            // The TLS context is built once and reused.
            #expect(try await client.send(Self.post("https://localhost:\(port)/v1/echo")).status == 201)
        }
    }

    @Test func refusesACertificateItDoesNotTrustOrThatNamesAnotherHost() async throws {
        let local = try LocalCertificate()
        try await Self.serve(tls: local.serverConfiguration, Self.echo) { port in
            // The system's store does not know this certificate.
            await #expect(throws: NIOSSLError.self) { try await ProviderHTTPClient().send(Self.post("https://localhost:\(port)/v1/echo")) }
            // Trusted, but issued for `localhost`, not for the address.
            let trusting = ProviderHTTPClient(tlsConfiguration: local.trustingClient)
            await #expect(throws: NIOSSLExtraError.failedToValidateHostname) { try await trusting.send(Self.post("https://127.0.0.1:\(port)/v1/echo")) }
        }
    }

    @Test func refusesAnAnswerLargerThanItsCapAndGivesUpOnAProviderThatHangs() async throws {
        try await Self.serve(tls: nil, Self.echo) { port in
            await #expect(throws: ProviderHTTPError.answerTooLarge) { try await ProviderHTTPClient().send(Self.post("http://127.0.0.1:\(port)/v1/huge")) }
            // The connect gets a minute: with the whole suite running at once, CI once saw a
            // loopback connect outlast 2 s, and this is about the answer, which never ends.
            let client = ProviderHTTPClient(timeout: .seconds(2), connectTimeout: .seconds(60))
            await #expect(throws: ProviderHTTPError.timedOut) { try await client.send(Self.post("http://127.0.0.1:\(port)/v1/slow")) }
            // Nothing listens on port 1.
            await #expect(throws: (any Error).self) { try await client.send(Self.post("http://127.0.0.1:1/v1/echo")) }
        }
    }

    @Test func aProviderThatNeverTakesTheConnectionHasNotAnsweredInTime() async throws {
        let listener = try FullListener()
        defer { listener.close() }
        // Only the connect can time out here: the exchange would get a minute.
        let client = ProviderHTTPClient(timeout: .seconds(60), connectTimeout: .milliseconds(300))
        await #expect(throws: ProviderHTTPError.timedOut) { try await client.send(Self.post("http://127.0.0.1:\(listener.port)/v1/echo")) }
    }

    @Test func sendsPlainHTTPOnlyToThisMachine() throws {
        let local = try OutboundURL("http://[::1]:8080/v1/x?a=b")
        #expect(!local.usesTLS && local.host == "::1" && local.port == 8080 && local.requestTarget == "/v1/x?a=b")
        #expect(local.hostHeader == "[::1]:8080")
        #expect(try OutboundURL("https://api.stripe.com").requestTarget == "/")
        #expect(try OutboundURL("https://api.stripe.com/v1/refunds").hostHeader == "api.stripe.com")
        for refused in ["http://api.stripe.com/v1/refunds", "ftp://127.0.0.1/", "https://user:pw@api.stripe.com/", "https:///v1", "not a url",
                        "https://api.stripe.com:0/", "http://10.0.0.1:80/", "https://api.stripe.com/#x"] {
            #expect(throws: OutboundURL.Unusable(url: refused), "\(refused)") { try OutboundURL(refused) }
        }
    }
}

/// A loopback listener that never accepts, with its queue (backlog 0: one connection on Linux)
/// already taken by a connection of its own, so Linux drops any further SYN: a host that never
/// takes the connection, without leaving the machine.
struct FullListener {
    let port: Int
    private let listening: Int32
    private let queued: Int32

    init() throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, length) == 0 && getsockname(listening, $0, &length) == 0 }
        }
        guard listening >= 0, bound, listen(listening, 0) == 0 else { throw TestFailure("no listener: errno \(errno)") }
        let queued = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(queued, $0, length) == 0 }
        }
        guard connected else { throw TestFailure("could not take the queue's one place: errno \(errno)") }
        self.listening = listening
        self.queued = queued
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        _ = Glibc.close(queued)
        _ = Glibc.close(listening)
    }
}
