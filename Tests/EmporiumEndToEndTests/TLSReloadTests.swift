import EmporiumSupport
import Foundation
import Testing

/// The real binary terminating TLS with certificates made by `openssl` in the test: served over
/// HTTPS with HSTS, plain HTTP refused, SIGHUP picking up a renewed pair, a broken one kept out.
@Suite("The real binary: TLS with a certificate reloaded on SIGHUP", .serialized)
struct TLSReloadTests {
    /// A self-signed P-256 certificate for localhost, with `name` as its common name.
    static func makeCertificate(_ name: String, certificate: String, key: String) async throws {
        let made = try await SpawnedProcess.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                                      "-subj", "/CN=\(name)", "-addext", "subjectAltName=DNS:localhost", "-days", "1",
                                                      "-keyout", key, "-out", certificate])
        guard made.status == 0 else { throw E2EFailure("openssl failed: \(made.output)") }
    }

    /// A fresh folder holding a certificate named `name` and its key (`fullchain.pem`, `privkey.pem`).
    static func certificateFolder(_ name: String) async throws -> (folder: String, certificate: String, key: String) {
        let folder = NSTemporaryDirectory() + "emporium-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let certificate = folder + "/fullchain.pem", key = folder + "/privkey.pem"
        try await makeCertificate(name, certificate: certificate, key: key)
        return (folder, certificate, key)
    }

    /// `curl -k -v`: the status line, headers and the certificate's subject are in its output.
    static func fetch(_ url: String) async throws -> (status: Int32, output: String) {
        try await SpawnedProcess.run("/usr/bin/curl", ["-sk", "-v", "--max-time", "5", "-o", "/dev/null", url])
    }

    /// The header deadline times the requests, not the TLS records around them: a keep-alive
    /// connection idle past `HEADER_TIMEOUT` between two requests is still served (the deadline
    /// read ciphertext and closed every TLS connection that long after its first byte), and a
    /// request header left half-sent over TLS is still cut off.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func aTLSKeepAliveConnectionOutlivesTheHeaderDeadlineAndAHalfSentHeaderDoesNot() async throws {
        let (folder, certificate, key) = try await Self.certificateFolder("keepalive.example")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try EmporiumProcess(environment: ["TLS_CERT_FILE": certificate, "TLS_KEY_FILE": key, "HEADER_TIMEOUT": "1s",
                                                       "LOG_LEVEL": "info"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        func overOneConnection(_ script: String) async throws -> String {
            try await SpawnedProcess.run("/bin/sh", ["-c", "(\(script)) | timeout 20 openssl s_client -connect 127.0.0.1:\(port) -quiet 2>/dev/null"]).output
        }
        let request = #"printf 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n'"#
        let last = #"printf 'GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'"#
        let patient = try await overOneConnection("\(request); sleep 3; \(last); sleep 3")
        #expect(patient.components(separatedBy: "HTTP/1.1 200").count - 1 == 2, "both requests answered on one connection: \(patient)")
        #expect(!server.stdout.contains("request header not received in time"), "the patient connection was cut")
        let halfSent = try await overOneConnection("\(request); printf 'GET /health/live HTTP/1.1\\r\\nHo'; sleep 4")
        #expect(halfSent.components(separatedBy: "HTTP/1.1 200").count - 1 == 1, "\(halfSent)")
        #expect(server.stdout.contains("connection closed: request header not received in time"), "the half-sent header was not cut off")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func sighupReloadsARenewedCertificateAndKeepsTheOldOneWhenTheNewIsBroken() async throws {
        let (folder, certificate, key) = try await Self.certificateFolder("first.example")
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let server = try EmporiumProcess(environment: ["TLS_CERT_FILE": certificate, "TLS_KEY_FILE": key, "LOG_LEVEL": "info"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        #expect(server.stdout.contains("listening on https://127.0.0.1:\(port)"))
        let first = try await Self.fetch("https://localhost:\(port)/health/live")
        #expect(first.output.contains("CN=first.example") && first.output.contains("< HTTP/1.1 200"), "\(first.output)")
        #expect(first.output.lowercased().contains("strict-transport-security: max-age=31536000"))
        let plain = try await SpawnedProcess.run("/usr/bin/curl", ["-s", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/health/live"])
        #expect(plain.output != "200", "plain HTTP gets no answer from a TLS listener")

        // A renewal: new files at the same paths, then SIGHUP. New connections get the new pair.
        try await Self.makeCertificate("second.example", certificate: certificate, key: key)
        server.signal(SIGHUP)
        var renewed = ""
        for _ in 0..<100 where !renewed.contains("CN=second.example") {
            try await Task.sleep(for: .milliseconds(50))
            renewed = try await Self.fetch("https://localhost:\(port)/health/live").output
        }
        #expect(renewed.contains("CN=second.example") && renewed.contains("< HTTP/1.1 200"), "\(renewed)")

        // A broken renewal: the key is garbage. The server keeps serving the pair it has.
        try "not a key\n".write(toFile: key, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        try await Task.sleep(for: .milliseconds(500))
        let kept = try await Self.fetch("https://localhost:\(port)/health/live")
        #expect(kept.output.contains("CN=second.example") && kept.output.contains("< HTTP/1.1 200"), "\(kept.output)")
        #expect(server.isRunning)

        server.signal(SIGTERM)
        _ = try server.waitForExit(timeout: 5)
        #expect(server.exitStatus == 0)
        // The refusal was logged (stdout carries the JSON log lines).
        #expect(server.stdout.contains("Kept the previous TLS certificate"), "\(server.stdout.suffix(2000))")
    }
}
