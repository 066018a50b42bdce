import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a file whole or not at all: the bytes go to a temporary file beside it, are flushed,
/// and the temporary file is renamed over the old one. A reader (HAProxy reloading, the next
/// command) sees the old file or the new one, never half of one, whatever happens meanwhile.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, permissions: mode_t = 0o644) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, permissions)
        guard descriptor >= 0 else { throw DomainError.unavailable("Cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let flushed = fsync(descriptor) == 0
        close(descriptor)
        guard written == data.count, flushed, fchmodat(AT_FDCWD, temporary, permissions, 0) == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw DomainError.unavailable("Cannot replace \(path): \(reason)")
        }
    }
}
