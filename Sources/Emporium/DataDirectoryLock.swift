import EmporiumCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<DATA_DIR>/emporium.lock`, held by `serve` for its whole life.
///
/// It keeps a second server off the same data, and lets commands that replace files under a
/// running server (`restore`) see that one runs and refuse, instead of swapping a file the server
/// still has open (its writes would land in the replaced file and be lost).
final class DataDirectoryLock {
    private let descriptor: Int32

    /// Takes the lock, or returns nil when another process holds it.
    static func acquire(in dataDirectory: String) throws -> DataDirectoryLock? {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let descriptor = open(dataDirectory + "/emporium.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw DomainError.unavailable("cannot open \(dataDirectory)/emporium.lock: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        return DataDirectoryLock(descriptor: descriptor)
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
