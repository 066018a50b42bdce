import Foundation

/// Spares a cold open its write. GRDB's `DatabasePool`, when the file's WAL is missing or empty,
/// commits a throwaway table (`CREATE TABLE grdb_issue_102 …; DROP TABLE …`) so that its
/// readers find a WAL. A shop file closed cleanly has no WAL, so every first request to a cold shop
/// paid a write transaction: the WAL header and the folder fsynced, three pages written, and on
/// its eviction a checkpoint that fsyncs the main file — on a listing that writes nothing.
///
/// A WAL that is only a zeroed header is one SQLite reads as empty (no valid magic number: no
/// frames to recover) and overwrites at the first commit; the readers find it, and GRDB sees a
/// WAL that is not empty. It is put in place with `link(2)`, which fails when the name exists,
/// so a WAL that another connection or process is using is never touched.
enum WALPlaceholder {
    /// SQLite's WAL header size.
    static let headerSize = 32

    /// Puts a zeroed WAL header beside the existing database `path` if it has no WAL.
    /// Best effort: on any failure GRDB's own step runs as before.
    static func ensure(forDatabaseAt path: String) {
        let wal = path + "-wal"
        var database = stat()
        guard stat(path, &database) == 0, database.st_size > 0, access(wal, F_OK) != 0, isInWALMode(path) else { return }
        let staging = "\(wal).\(UUID().uuidString.lowercased())"
        let descriptor = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, database.st_mode & 0o777)
        guard descriptor >= 0 else { return }
        defer { unlink(staging) }
        // As SQLite does for the files it creates: root (an `emporium` command run by an operator)
        // must not leave a WAL the service's own user cannot open.
        if geteuid() == 0 { _ = fchown(descriptor, database.st_uid, database.st_gid) }
        let header = [UInt8](repeating: 0, count: headerSize)
        let written = header.withUnsafeBytes { write(descriptor, $0.baseAddress, headerSize) }
        close(descriptor)
        guard written == headerSize else { return }
        _ = link(staging, wal)
    }

    /// Whether the file's header names WAL as its journal (format versions at offsets 18 and 19
    /// are 2). A file in rollback mode — a fresh backup, an import — goes through GRDB's own step.
    private static func isInWALMode(_ path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 20)
        let read = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 20, 0) }
        return read == 20 && header[18] == 2 && header[19] == 2
    }
}
