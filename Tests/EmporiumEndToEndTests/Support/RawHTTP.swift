import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over a blocking socket: it lets a test send a request in pieces
/// (to keep it in flight across a signal) and set any `Host` header.
final class RawHTTPConnection {
    private let fd: Int32

    init(port: Int, timeout: TimeInterval = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw E2EFailure("socket() failed") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw E2EFailure("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw E2EFailure("send failed: errno \(errno)") }
            offset += written
        }
    }

    /// Reads until the server closes the connection (requests are sent with `Connection: close`).
    func readResponse() throws -> HTTPAnswer {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { data += buffer[0..<count]; continue }
            if count == 0 { break }
            throw E2EFailure("recv failed or timed out: errno \(errno); got \(data.count) bytes")
        }
        return try HTTPAnswer(String(decoding: data, as: UTF8.self))
    }

    /// Waits up to `timeout` for the server to close the connection, discarding what it sends.
    /// True when it closed (or reset) the connection, false when it was still open at the end.
    func closedByServer(within timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            guard ready > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return true }
        }
        return false
    }

    /// One whole request: sends it and reads the answer.
    static func request(port: Int, method: String = "GET", path: String, headers: [String: String] = [:], body: String? = nil) throws -> HTTPAnswer {
        let connection = try RawHTTPConnection(port: port)
        try connection.send(requestText(method: method, path: path, headers: headers, body: body))
        return try connection.readResponse()
    }

    static func requestText(method: String, path: String, headers: [String: String], body: String?) -> String {
        var fields = headers
        if fields["Host"] == nil { fields["Host"] = "127.0.0.1" }
        fields["Connection"] = "close"
        if let body { fields["Content-Length"] = String(body.utf8.count) }
        return "\(method) \(path) HTTP/1.1\r\n" + fields.map { "\($0.key): \($0.value)\r\n" }.joined() + "\r\n" + (body ?? "")
    }
}

/// A parsed HTTP response.
struct HTTPAnswer {
    let status: Int
    let headers: [String: String]
    let body: String

    init(_ raw: String) throws {
        guard let split = raw.range(of: "\r\n\r\n") else { throw E2EFailure("incomplete response: \(raw)") }
        let head = raw[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw E2EFailure("bad status line: \(raw)")
        }
        self.status = status
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.headers = headers
        var body = String(raw[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = Self.dechunk(body) }
        self.body = body
    }

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw E2EFailure("not a JSON object: \(body)")
        }
        return object
    }

    static func dechunk(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let bytes = Array(rest[start...].utf8)
            result += String(decoding: bytes.prefix(size), as: UTF8.self)
            rest = Substring(String(decoding: bytes.dropFirst(size + 2), as: UTF8.self))
        }
        return result
    }
}
