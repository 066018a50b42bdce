import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs another program (rsync for `BACKUP_SHIP_TO`, a proxy's reload command) to its end with
/// `posix_spawn`.
///
/// Not `Foundation.Process`: on Swift 6.3.1 for Linux its `run()` now and then reads past a buffer
/// while it lists `/proc/self/fd` and crashes the calling process (swift-corelibs-foundation #5472),
/// the more often the more descriptors are open. The server holding hundreds of shop files is that
/// process, and one crashed shipment would take every shop down with it.
///
/// The child reads /dev/null, starts with the default handling of every signal and none blocked,
/// and inherits no descriptor beyond 0–2. (A running server ignores SIGINT and SIGQUIT, which its
/// service lifecycle handles, and blocks SIGCHLD; `Foundation.Process` passed the ignored ones on,
/// so Ctrl-C could not stop an rsync started from it.)
public enum ChildProcess {
    public struct Finished: Sendable {
        /// The exit status, or 128 + the number of the signal that ended it, as a shell reports it.
        public let status: Int32
        /// The last bytes the child wrote to stdout (when captured, else empty) and to stderr.
        public let output: Data
        public let errors: Data

        /// What the child wrote to stderr, as text for an error message.
        public var errorText: String {
            String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` with `arguments`, waits for it to end and returns its status and output.
    /// stdout goes to /dev/null unless `captureOutput`; of each captured stream the last `kept`
    /// bytes are returned, so a chatty child cannot fill the memory.
    public static func run(_ executable: String, _ arguments: [String], captureOutput: Bool = false,
                           keep kept: Int = 1 << 20) throws -> Finished {
        let errorPipe = try makePipe()
        let outputPipe: (read: Int32, write: Int32)?
        do {
            outputPipe = captureOutput ? try makePipe() : nil
        } catch {
            close(errorPipe.read); close(errorPipe.write)
            throw error
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let outputPipe {
            posix_spawn_file_actions_adddup2(&actions, outputPipe.write, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, errorPipe.write, 2)
        if let closeFrom = SpawnExtras.closeFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(errorPipe.write)
        if let outputPipe { close(outputPipe.write) }
        guard spawned == 0 else {
            close(errorPipe.read)
            if let outputPipe { close(outputPipe.read) }
            throw Failure(description: "Cannot start \(executable): \(String(cString: strerror(spawned)))")
        }

        let read = drain(output: outputPipe?.read, errors: errorPipe.read, keep: kept)
        return Finished(status: try waitForExit(child, executable), output: read.output, errors: read.errors)
    }

    /// A pipe whose ends are not inherited by other programs this process starts meanwhile.
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw Failure(description: "Cannot make a pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return (ends[0], ends[1])
    }

    /// Reads both pipes until the child has closed them (both at once, so a child that fills one
    /// while the other is read cannot block), keeping the last `kept` bytes of each; closes them.
    private static func drain(output: Int32?, errors: Int32, keep: Int) -> (output: Data, errors: Data) {
        let kept = max(0, keep)
        var collected: [Int32: Data] = [errors: Data()]
        if let output { collected[output] = Data() }
        var open = Array(collected.keys)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while !open.isEmpty {
            var watched = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&watched, nfds_t(watched.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in watched where entry.revents != 0 {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[entry.fd, default: Data()].append(contentsOf: chunk[..<count])
                    if let size = collected[entry.fd]?.count, size > kept { collected[entry.fd]?.removeFirst(size - kept) }
                } else if count < 0, errno == EINTR || errno == EAGAIN {
                    continue
                } else {
                    open.removeAll { $0 == entry.fd }
                }
            }
        }
        collected.keys.forEach { close($0) }
        return (output.flatMap { collected[$0] } ?? Data(), collected[errors] ?? Data())
    }

    private static func waitForExit(_ child: pid_t, _ executable: String) throws -> Int32 {
        var raw: Int32 = 0
        while waitpid(child, &raw, 0) < 0 {
            guard errno == EINTR else { throw Failure(description: "Lost track of \(executable): \(String(cString: strerror(errno)))") }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (they are macros in C).
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34): declared only under `_GNU_SOURCE`,
/// so Swift does not import it; looked up by name. Without it (an older glibc) the child still
/// inherits no descriptor opened with close-on-exec, which SQLite and SwiftNIO use for theirs.
private enum SpawnExtras {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let closeFrom: CloseFrom? = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }
}
