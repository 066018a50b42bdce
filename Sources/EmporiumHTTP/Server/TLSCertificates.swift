import Foundation
import NIOSSL
import Synchronization

/// The main listener's certificate and key (`TLS_CERT_FILE`, `TLS_KEY_FILE`), for installs
/// without a reverse proxy. Each new connection takes the context current when it arrives, so a
/// reload (SIGHUP, after a renewal) applies to new connections while open ones finish on the old
/// pair. TLS 1.2 and newer only; HTTP/1.1 is offered by ALPN.
public final class TLSCertificates: Sendable {
    public let certificateFile: String
    public let keyFile: String
    private let current: Mutex<NIOSSLContext>

    /// Fails, naming the file, when either cannot be read or they do not belong together.
    public init(certificateFile: String, keyFile: String) throws {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.current = Mutex(try Self.context(certificateFile: certificateFile, keyFile: keyFile))
    }

    var context: NIOSSLContext { current.withLock { $0 } }

    /// Reads both files again. On failure the previous pair stays in use and the error says why.
    public func reload() throws {
        let fresh = try Self.context(certificateFile: certificateFile, keyFile: keyFile)
        current.withLock { $0 = fresh }
    }

    static func context(certificateFile: String, keyFile: String) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw TLSFileError(file: certificateFile, reason: "not a readable PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw TLSFileError(file: certificateFile, reason: "holds no certificate") }
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw TLSFileError(file: keyFile, reason: "not a readable PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFileError(file: keyFile, reason: "does not match the certificate in \(certificateFile) (\(error))")
        }
    }
}

/// A TLS file that cannot be used, with the file named (startup refuses; a reload keeps the old pair).
public struct TLSFileError: Error, CustomStringConvertible {
    public let file: String
    public let reason: String

    public var description: String { "\(file): \(reason)" }
}
