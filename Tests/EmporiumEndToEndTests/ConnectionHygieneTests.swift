import EmporiumSupport
import Foundation
import Testing

/// Slow and silent clients against the real binary: each holds a descriptor of the one process
/// every shop shares, so each must be closed by a deadline (before the fix, 220 such connections
/// were all still open after 95 s).
@Suite("The real binary: idle, slow-header and slow-body connections are closed; one address cannot hold them all", .serialized)
struct ConnectionHygieneTests {
    static let limits = ["IDLE_TIMEOUT": "1s", "HEADER_TIMEOUT": "1s", "BODY_TIMEOUT": "1s", "MAX_CONNECTIONS_PER_CLIENT": "20"]

    @Test func silentHalfSentAndSlowBodyConnectionsAreClosedButAPatientKeepAliveClientIsServed() throws {
        let server = try EmporiumProcess(environment: Self.limits)
        defer { server.cleanUp() }
        let port = try server.waitForPort()

        // A client that connects and sends nothing
        let silent = try RawHTTPConnection(port: port)
        // A client whose header block never ends (a byte at a time)
        let slowHeader = try RawHTTPConnection(port: port)
        try slowHeader.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        // A client that promises 100 bytes of body and sends 10
        let slowBody = try RawHTTPConnection(port: port)
        try slowBody.send("POST /api/v1/platform/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":")

        var dribbled = 0
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, dribbled < 20 {
            if (try? slowHeader.send("X")) == nil { break }
            dribbled += 1
            Thread.sleep(forTimeInterval: 0.25)
        }
        #expect(silent.closedByServer(within: 10), "a silent connection stayed open")
        #expect(slowHeader.closedByServer(within: 10), "a header sent a byte at a time stayed open")
        #expect(slowBody.closedByServer(within: 10), "a body that never completes stayed open")
        #expect(dribbled < 20, "the slow header was still accepted after 5 s")

        // A normal keep-alive client sending whole requests is served throughout
        let keepAlive = try RawHTTPConnection(port: port)
        try keepAlive.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.5)
        try keepAlive.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let answers = try keepAlive.readResponse()
        #expect(answers.status == 200)
        #expect(server.isRunning)
    }

    /// Every request on a connection gets the header deadline, not only the first: a whole request
    /// followed by half of the next one was held until the idle timeout (60 s here).
    @Test func aWholeRequestFollowedByHalfOfTheNextIsClosedByTheHeaderDeadline() throws {
        let server = try EmporiumProcess(environment: Self.limits.merging(["IDLE_TIMEOUT": "60s"]) { _, new in new })
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let pipelined = try RawHTTPConnection(port: port)
        try pipelined.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /health/live HTTP/1.1\r\nHost: 127")
        // And one with a body first: the next request starts right after its Content-Length bytes
        let afterBody = try RawHTTPConnection(port: port)
        try afterBody.send("POST /api/v1/platform/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           + "Content-Length: 2\r\n\r\n{}GET /health/live HTTP/1.1\r\nHost: 127")
        let started = Date()
        #expect(pipelined.closedByServer(within: 10), "the half-sent second request held the connection")
        #expect(afterBody.closedByServer(within: 10), "the half-sent request after a body held the connection")
        #expect(Date().timeIntervalSince(started) < 10)
        // A keep-alive client whose second request arrives whole, late, is served
        let patient = try RawHTTPConnection(port: port)
        try patient.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        Thread.sleep(forTimeInterval: 1.5)
        try patient.send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(try patient.readResponse().status == 200)
    }

    @Test func oneAddressCannotHoldMoreThanItsShareOfConnections() throws {
        let server = try EmporiumProcess(environment: Self.limits.merging(["IDLE_TIMEOUT": "60s"]) { _, new in new })
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        // Given 20 open connections from 127.0.0.1 (the cap)
        var held: [RawHTTPConnection] = []
        for _ in 1...20 { held.append(try RawHTTPConnection(port: port)) }
        Thread.sleep(forTimeInterval: 0.3)
        // Then the 21st is closed at once, while the 20 stay open
        let extra = try RawHTTPConnection(port: port)
        #expect(extra.closedByServer(within: 5))
        #expect(!held[0].closedByServer(within: 0.3))
        // And once they are gone, the address is served again
        held.removeAll()
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try RawHTTPConnection.request(port: port, path: "/health/live").status == 200)
    }

    @Test func anOversizedChunkedBodyIs413AndTheServerKeepsServing() throws {
        // Before, a chunked body past MAX_BODY_BYTES answered 500 (NIO's "too many bytes" was not mapped)
        let server = try EmporiumProcess(environment: ["MAX_BODY_BYTES": "4096"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let connection = try RawHTTPConnection(port: port)
        try connection.send("POST /api/v1/platform/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
        let chunk = String(repeating: "x", count: 1024)
        try connection.send("b\r\n{\"email\":\"x\r\n")
        for _ in 1...8 { try? connection.send("400\r\n\(chunk)\r\n") }
        try? connection.send("0\r\n\r\n")
        let answer = try connection.readResponse()
        #expect(answer.status == 413, "\(answer.status) \(answer.body)")
        #expect(answer.body.contains("PAYLOAD_TOO_LARGE"))
        #expect(try RawHTTPConnection.request(port: port, path: "/health/live").status == 200)
    }
}
