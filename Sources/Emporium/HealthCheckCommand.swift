import ArgumentParser
import EmporiumCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `emporium health-check`: asks the local server's `/health/live` and exits 0 only on a 200.
///
/// Container images have no curl; Docker's `HEALTHCHECK` runs this instead. It speaks just enough
/// HTTP/1.1 over a plain socket (no FoundationNetworking, so the binary gains no libcurl dependency).
struct HealthCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health-check", abstract: "Exit 0 when the local server answers /health/live with 200 (for container health checks)."
    )

    @Option(help: "Port to ask; defaults to PORT from the configuration.")
    var port: Int?

    @Option(help: "Path to ask.")
    var path = "/health/live"

    @Option(help: "Seconds to wait for the answer.")
    var timeout = 3

    func run() throws {
        let target = try port ?? ConfigLoader.fromProcess().port()
        let status = try Self.status(port: target, path: path, timeoutSeconds: timeout)
        guard status == 200 else {
            throw HealthCheckFailed(message: "127.0.0.1:\(target)\(path) answered \(status)")
        }
        print("healthy: 127.0.0.1:\(target)\(path) answered 200")
    }

    /// Sends `GET path` to 127.0.0.1:port and returns the status code of the answer.
    static func status(port: Int, path: String, timeoutSeconds: Int) throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw HealthCheckFailed(message: "socket: \(String(cString: strerror(errno)))") }
        defer { close(socketDescriptor) }

        var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            setsockopt(socketDescriptor, SOL_SOCKET, option, &limit, socklen_t(MemoryLayout<timeval>.size))
        }

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            throw HealthCheckFailed(message: "127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }

        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(socketDescriptor, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw HealthCheckFailed(message: "could not send the request")
        }

        // The status line ("HTTP/1.1 200 OK") arrives in the first bytes of the answer.
        var buffer = [UInt8](repeating: 0, count: 64)
        var received = 0
        while received < buffer.count {
            let count = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress! + received, $0.count - received, 0) }
            if count <= 0 { break }
            received += count
            if buffer[..<received].contains(UInt8(ascii: "\n")) { break }
        }
        let statusLine = String(decoding: buffer[..<received], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw HealthCheckFailed(message: "no HTTP answer from 127.0.0.1:\(port)")
        }
        return status
    }
}

/// One line on stderr and exit status 1, like every other command error.
struct HealthCheckFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { "unhealthy: \(message)" }
}
