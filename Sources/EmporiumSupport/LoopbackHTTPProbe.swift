import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP GET to 127.0.0.1 over a plain socket, reading only the status line: what a container
/// health check needs (`emporium health-check`), with no event loop or TLS to start.
public enum LoopbackHTTPProbe {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The status code `GET path` answers on the loopback `port`, within `timeoutSeconds` per read and write.
    public static func status(port: Int, path: String, timeoutSeconds: Int) throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
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
            throw Failure(description: "127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }

        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(socketDescriptor, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw Failure(description: "could not send the request")
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
            throw Failure(description: "no HTTP answer from 127.0.0.1:\(port)")
        }
        return status
    }
}
