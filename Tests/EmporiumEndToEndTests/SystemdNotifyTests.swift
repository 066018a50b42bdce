import EmporiumSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A Unix datagram socket standing in for systemd's `$NOTIFY_SOCKET`.
final class NotifySocket {
    let path: String
    private let fd: Int32

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8)).sock").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0 else { throw E2EFailure("cannot bind \(path)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram, or nil after the 10 s timeout.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : nil
    }
}

@Suite("systemd Type=notify", .serialized)
struct SystemdNotifyTests {
    @Test func theServerSendsReadyWhenListeningAndStoppingOnSIGTERM() throws {
        let notify = try NotifySocket()
        let server = try EmporiumProcess(environment: ["NOTIFY_SOCKET": notify.path])
        defer { server.cleanUp() }
        _ = try server.waitForPort()
        let ready = try #require(notify.receive())
        #expect(ready.split(separator: "\n").contains("READY=1"))
        server.signal(SIGTERM)
        let stopping = try #require(notify.receive())
        #expect(stopping.split(separator: "\n").contains("STOPPING=1"))
        try server.waitForExit(timeout: 5)
        #expect(server.exitStatus == 0)
    }
}
