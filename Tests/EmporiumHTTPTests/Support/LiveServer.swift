@testable import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceLifecycle
import Synchronization

extension TestApp {
    /// Runs the real application (sockets, TLS when given) on a free loopback port and `body` with
    /// that port. `PORT=0` (and `HOST=127.0.0.1`, the default) belong in the overrides.
    func serveLive(tls: TLSCertificates? = nil, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let port = Mutex<Int?>(nil)
        let application = await buildApplication(deps, tls: tls) { bound in port.withLock { $0 = bound } }
        defer { try? FileManager.default.removeItem(at: directory) }
        // Stopped by a graceful shutdown, never by cancelling its task: a cancelled server drops the
        // connections it accepted but had not yet taken up, and NIO traps on those ("Deinited
        // NIOAsyncWriter without calling finish()", swift-nio#2637) — it took CI's whole test
        // process down once, after a refused TLS 1.1 client's connection was left unread.
        let services = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: application.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            do {
                var bound: Int?
                for _ in 0..<3_000 where bound == nil {
                    try await Task.sleep(for: .milliseconds(10))
                    bound = port.withLock { $0 }
                }
                guard let bound else { throw TestFailure("the server did not start in 30 s") }
                try await body(bound)
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
            // The group then waits for the server to finish; what its connections met on the way
            // out (a reset from a refused client) is not this test's business.
            await services.triggerGracefulShutdown()
        }
    }

    /// Runs `body` with a client of a live server, for what needs a socket peer: client addresses,
    /// forwarded headers.
    func runLive(_ body: @escaping @Sendable (LiveClient) async throws -> Void) async throws {
        try await serveLive { port in try await body(LiveClient(port: port)) }
    }
}

/// A plain HTTP/1.1 client of a live test server, patient with a crowded machine: `swift test`
/// runs hundreds of tests (and several real binaries under load) side by side on two cores, and CI
/// has seen a loopback connect miss HummingbirdTesting's fixed 5 s and an answer miss its 20 s.
/// These tests are about what the server answers, never about how fast, so each request gets its
/// own connection, a connect that timed out (nothing was sent yet) is tried again, and an answer
/// may take two minutes.
struct LiveClient: Sendable {
    let port: Int
    static let connectAttempts = 5
    static let answerTimeout: Duration = .seconds(120)

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> LiveResponse {
        var attempt = 1
        while true {
            do {
                return try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: Self.answerTimeout)) { client in
                    let answer = try await client.execute(TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body))
                    return LiveResponse(status: answer.status, headers: answer.headers, body: answer.body ?? ByteBuffer())
                }
            } catch ChannelError.connectTimeout where attempt < Self.connectAttempts {
                attempt += 1
            }
        }
    }

    /// Signs `email` in with the test password and answers its access token.
    func accessToken(_ email: String, in subdomain: String = "shop", password: String = "password-123") async throws -> String {
        let response = try await execute(uri: "/api/v1/auth/login", method: .post, headers: .json(tenant: subdomain),
                                         body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#))
        guard let data = try response.json()["data"] as? [String: Any], let token = data["accessToken"] as? String else {
            throw TestFailure("sign-in failed: \(response.status) \(String(buffer: response.body))")
        }
        return token
    }
}

/// What a live server answered.
struct LiveResponse: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw TestFailure("body is not a JSON object: \(String(buffer: body))")
        }
        return object
    }
}
