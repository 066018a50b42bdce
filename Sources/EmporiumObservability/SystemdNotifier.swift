import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd about the service's state over `$NOTIFY_SOCKET` (the `sd_notify` protocol: one
/// datagram per message on a Unix socket), so the unit can be `Type=notify` without libsystemd.
/// Without `$NOTIFY_SOCKET` (not under systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    let socketPath: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `READY=1`: the server is listening.
    public func ready() { send("READY=1\nSTATUS=Serving") }
    /// `STOPPING=1`: graceful shutdown has begun.
    public func stopping() { send("STOPPING=1\nSTATUS=Draining requests") }

    /// Sends one message; returns false when there is no socket or sending failed (never throws:
    /// a supervisor that went away must not stop the server).
    @discardableResult
    public func send(_ message: String) -> Bool {
        #if canImport(Glibc)
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length) }
            }
        }
        return sent == bytes.count
        #else
        return false
        #endif
    }
}
