import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts other programs with `posix_spawn`: to their end (rsync for `BACKUP_SHIP_TO`, a proxy's
/// reload command: `run`), or left running with their stdio on pipes (the servers and tools the
/// end-to-end tests start: `Running`). One wrapper for both, in the support module.
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

        public init(description: String) {
            self.description = description
        }
    }

    /// Starts `executable` with `arguments`, waits for it to end and returns its status and output.
    /// stdout goes to /dev/null unless `captureOutput`; of each captured stream the last `kept`
    /// bytes are returned, so a chatty child cannot fill the memory.
    public static func run(_ executable: String, _ arguments: [String], captureOutput: Bool = false,
                           keep kept: Int = 1 << 20) throws -> Finished {
        let child = try spawn(executable, arguments, environment: ProcessInfo.processInfo.environment, directory: nil,
                              stdin: .nowhere, stdout: captureOutput ? .pipe : .nowhere, stderr: .pipe)
        let read = drain(output: child.stdout, errors: child.stderr!, keep: kept)
        return Finished(status: try waitForExit(child.pid, executable), output: read.output, errors: read.errors)
    }

    /// As `run`, with `input` written to the child's stdin and stdin then closed (a message handed
    /// to sendmail). The input is written from another thread while stderr is read, so a child that
    /// talks before it reads cannot stall on a full pipe; one that exits without reading all of it
    /// ends the write with EPIPE, not with SIGPIPE for this process.
    public static func run(_ executable: String, _ arguments: [String], input: [UInt8], keep kept: Int = 1 << 16) throws -> Finished {
        ignoreBrokenPipes
        let child = try spawn(executable, arguments, environment: ProcessInfo.processInfo.environment, directory: nil,
                              stdin: .pipe, stdout: .pipe, stderr: .pipe)
        let descriptor = child.stdin!
        let writer = Thread {
            input.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        break
                    }
                    offset += written
                }
            }
            close(descriptor)
        }
        writer.start()
        let read = drain(output: child.stdout, errors: child.stderr!, keep: kept)
        return Finished(status: try waitForExit(child.pid, executable), output: read.output, errors: read.errors)
    }

    /// Once per process: a write to a pipe whose reader is gone fails with EPIPE instead of
    /// killing the server (SIGPIPE's default action).
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN); return () }()

    /// A program started and left running, its stdin, stdout and stderr on pipes.
    public final class Running: @unchecked Sendable {
        public let pid: pid_t
        /// Read ends of the child's stdout and stderr; write end of its stdin.
        public let output: FileHandle
        public let errorOutput: FileHandle
        public let input: FileHandle
        private var status: Int32?

        public init(_ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil) throws {
            let child = try ChildProcess.spawn(executable, arguments, environment: environment, directory: directory,
                                               stdin: .pipe, stdout: .pipe, stderr: .pipe)
            pid = child.pid
            input = FileHandle(fileDescriptor: child.stdin!, closeOnDealloc: true)
            output = FileHandle(fileDescriptor: child.stdout!, closeOnDealloc: true)
            errorOutput = FileHandle(fileDescriptor: child.stderr!, closeOnDealloc: true)
        }

        /// The exit status once the child has ended (128 + signal when a signal ended it), else nil.
        public func exitStatus(waiting: Bool = false) -> Int32? {
            if let status { return status }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, waiting ? 0 : WNOHANG) == pid else { return nil }
            status = ChildProcess.status(raw)
            return status
        }

        public var isRunning: Bool { exitStatus() == nil }
    }

    // MARK: Spawning

    private enum Stream {
        case nowhere, pipe
    }

    /// Starts the child: each stream on /dev/null or a pipe, every other descriptor closed
    /// (`closefrom`), every signal at its default and none blocked, in `directory` when given.
    /// Returns the parent's ends of the pipes.
    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], directory: String?,
                              stdin: Stream, stdout: Stream, stderr: Stream) throws -> (pid: pid_t, stdin: Int32?, stdout: Int32?, stderr: Int32?) {
        var pipes: [Int32: (read: Int32, write: Int32)] = [:]
        func closeAll() { pipes.values.forEach { close($0.read); close($0.write) } }
        for (descriptor, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] where stream == .pipe {
            do {
                pipes[descriptor] = try makePipe()
            } catch {
                closeAll()
                throw error
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            if let pipe = pipes[descriptor] {
                posix_spawn_file_actions_adddup2(&actions, descriptor == 0 ? pipe.read : pipe.write, descriptor)
            } else {
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            }
        }
        if let closeFrom = SpawnExtras.closeFrom { _ = closeFrom(&actions, 3) }
        if let directory {
            guard let changeDirectory = SpawnExtras.changeDirectory else {
                closeAll()
                throw Failure(description: "Cannot start \(executable) in \(directory): glibc lacks posix_spawn_file_actions_addchdir_np")
            }
            _ = changeDirectory(&actions, directory)
        }

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
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        // The child's ends belong to the child now.
        if let pipe = pipes[0] { close(pipe.read) }
        for descriptor: Int32 in [1, 2] { if let pipe = pipes[descriptor] { close(pipe.write) } }
        guard spawned == 0 else {
            if let pipe = pipes[0] { close(pipe.write) }
            for descriptor: Int32 in [1, 2] { if let pipe = pipes[descriptor] { close(pipe.read) } }
            throw Failure(description: "Cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        return (child, pipes[0]?.write, pipes[1]?.read, pipes[2]?.read)
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
        return status(raw)
    }

    /// WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (they are macros in C): the exit status, or
    /// 128 + the signal that ended the child.
    private static func status(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34) and `…_addchdir_np` (2.29): declared
/// only under `_GNU_SOURCE`, so Swift does not import them; looked up by name. Without closefrom
/// (an older glibc) the child still inherits no descriptor opened with close-on-exec, which SQLite
/// and SwiftNIO use for theirs.
private enum SpawnExtras {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom? = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }
    static let changeDirectory: ChangeDirectory? = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: ChangeDirectory.self) }
}
