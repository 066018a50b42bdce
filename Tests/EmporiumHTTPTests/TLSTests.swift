import EmporiumCore
@testable import EmporiumHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOSSL
import ServiceLifecycle
import Synchronization
import Testing

/// TLS on the main listener with certificates made in the test: served over TLS 1.2+, refused
/// below, reloaded for new connections, a broken reload keeping the previous pair, HSTS on with it.
@Suite("TLS termination")
struct TLSTests {
    /// Writes a certificate and its key as PEM files in `folder`.
    static func write(_ certificate: LocalCertificate, to folder: URL) throws -> (certificate: String, key: String) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificateFile = folder.appendingPathComponent("fullchain.pem"), keyFile = folder.appendingPathComponent("privkey.pem")
        try certificate.certificatePEM.write(to: certificateFile, atomically: true, encoding: .utf8)
        try certificate.keyPEM.write(to: keyFile, atomically: true, encoding: .utf8)
        return (certificateFile.path, keyFile.path)
    }

    static func get(_ port: Int, trusting certificate: LocalCertificate, maximumVersion: TLSVersion? = nil) async throws -> PaymentHTTPResponse {
        var configuration = certificate.trustingClient
        if let maximumVersion { configuration.maximumTLSVersion = maximumVersion }
        // Generous: nothing here is about timing, and CI running the whole suite has seen a
        // request to a test server take 8 s; refusals end the exchange at once.
        let client = ProviderHTTPClient(tlsConfiguration: configuration, timeout: .seconds(60))
        return try await client.send(PaymentHTTPRequest(method: "GET", url: "https://localhost:\(port)/health/live", headers: [:], body: Data()))
    }

    @Test func theListenerSpeaksTLSOnlyFromVersionOneTwoAndReloadsForNewConnections() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try LocalCertificate(), second = try LocalCertificate()
        let files = try Self.write(first, to: folder)
        let app = try TestApp.make(["PORT": "0", "HOST": "127.0.0.1", "TLS_CERT_FILE": files.certificate, "TLS_KEY_FILE": files.key])
        let tls = try TLSCertificates(certificateFile: files.certificate, keyFile: files.key)
        try await app.serveLive(tls: tls) { port in
            #expect(try await Self.get(port, trusting: first).status == 200)
            await #expect(throws: (any Error).self, "TLS 1.1 is refused") { try await Self.get(port, trusting: first, maximumVersion: .tlsv11) }
            await #expect(throws: (any Error).self, "a client that does not trust the certificate gets no answer") {
                try await Self.get(port, trusting: second)
            }

            // A renewal: new files, then the reload SIGHUP performs; new connections get the new pair.
            _ = try Self.write(second, to: folder)
            try tls.reload()
            #expect(try await Self.get(port, trusting: second).status == 200)
            await #expect(throws: (any Error).self) { try await Self.get(port, trusting: first) }

            // A broken renewal is refused and the pair in use stays.
            try "not a key".write(toFile: files.key, atomically: true, encoding: .utf8)
            #expect(throws: TLSFileError.self) { try tls.reload() }
            #expect(try await Self.get(port, trusting: second).status == 200)
        }
    }

    @Test func aPairThatDoesNotBelongTogetherStopsTheStartNamingTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try Self.write(try LocalCertificate(), to: folder)
        let other = try Self.write(try LocalCertificate(), to: folder.appendingPathComponent("other"))
        #expect { try TLSCertificates(certificateFile: files.certificate, keyFile: other.key) } throws: { error in
            (error as? TLSFileError)?.file == other.key
        }
        #expect { try TLSCertificates(certificateFile: folder.appendingPathComponent("missing.pem").path, keyFile: files.key) } throws: { error in
            (error as? TLSFileError)?.description.contains("missing.pem") == true
        }
    }

    @Test func hstsIsOnWithTLSUnlessTurnedOffAndBothFilesAreNeeded() async throws {
        let base = ["DATA_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("emporium-tls-config").path]
        let withTLS = try ConfigLoader(environment: base.merging(["TLS_CERT_FILE": "/c.pem", "TLS_KEY_FILE": "/k.pem"]) { $1 }).load(persistSecrets: false)
        #expect(withTLS.hsts && withTLS.tlsCertificateFile == "/c.pem")
        let turnedOff = try ConfigLoader(environment: base.merging(["TLS_CERT_FILE": "/c.pem", "TLS_KEY_FILE": "/k.pem", "HSTS": "false"]) { $1 })
            .load(persistSecrets: false)
        #expect(!turnedOff.hsts)
        #expect(try !ConfigLoader(environment: base).load(persistSecrets: false).hsts)
        #expect(throws: ConfigError.self) { try ConfigLoader(environment: base.merging(["TLS_CERT_FILE": "/c.pem"]) { $1 }).load(persistSecrets: false) }

        let app = try TestApp.make(["TLS_CERT_FILE": "/c.pem", "TLS_KEY_FILE": "/k.pem"])
        try await app.run { client in
            let response = try await client.execute(uri: "/health/live", method: .get)
            #expect(response.headers[HTTPField.Name("Strict-Transport-Security")!] == "max-age=31536000; includeSubDomains")
        }
    }
}
