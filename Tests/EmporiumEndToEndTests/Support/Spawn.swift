import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts child processes with `posix_spawn` instead of `Foundation.Process`.
///
/// On Swift 6.3.1 for Linux, `Process.run()` crashes now and then (SIGSEGV in a 256-byte over-read
/// in `findMaximumOpenFromProcSelfFD`, swift-corelibs-foundation PR #5472), more often the more
/// descriptors the test process holds — and ours holds many SQLite files. This does the same job
/// directly: stdio on pipes, the child's other descriptors closed (`closefrom`), its own directory.
final class SpawnedProcess: @unchecked Sendable {
    let pid: pid_t
    /// Read ends of the child's stdout and stderr; write end of its stdin.
    let output: FileHandle
    let errorOutput: FileHandle
    let input: FileHandle
    private var status: Int32?

    init(_ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil) throws {
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        // Children close every inherited descriptor above 2 (closefrom), so other children's pipe
        // ends never leak into this one; close-on-exec covers anything else that might exec.
        guard pipe(&stdinPipe) == 0, pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else {
            throw E2EFailure("pipe failed: errno \(errno)")
        }
        for descriptor in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        _ = GlibcSpawnExtras.closeFrom(&actions, 3)
        if let directory { _ = GlibcSpawnExtras.changeDirectory(&actions, directory) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        guard result == 0 else {
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw E2EFailure("posix_spawn \(executable) failed: \(String(cString: strerror(result)))")
        }
        pid = child
        input = FileHandle(fileDescriptor: stdinPipe[1], closeOnDealloc: true)
        output = FileHandle(fileDescriptor: stdoutPipe[0], closeOnDealloc: true)
        errorOutput = FileHandle(fileDescriptor: stderrPipe[0], closeOnDealloc: true)
    }

    /// The exit status once the child has ended (128 + signal when a signal ended it), else nil.
    func exitStatus(waiting: Bool = false) -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, waiting ? 0 : WNOHANG)
        guard result == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (they are macros in C).
        let signal = raw & 0x7f
        status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        return status
    }

    var isRunning: Bool { exitStatus() == nil }

    /// Runs a tool to its end and returns its status and its stdout followed by its stderr, without
    /// holding a thread of the shared pool while it works (a blocked pool thread would stall every
    /// other test running meanwhile).
    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                    directory: String = NSTemporaryDirectory()) async throws -> (status: Int32, output: String) {
        let child = try SpawnedProcess(executable, arguments, environment: ProcessInfo.processInfo.environment, directory: directory)
        if let stdin { child.input.write(Data(stdin.utf8)) }
        try child.input.close()
        while child.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let output = child.output.readDataToEndOfFile() + child.errorOutput.readDataToEndOfFile()
        return (child.exitStatus() ?? -1, String(decoding: output, as: UTF8.self))
    }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34) and `…_addchdir_np` (2.29): declared
/// only under `_GNU_SOURCE`, so Swift does not import them; looked up once by name instead.
enum GlibcSpawnExtras {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom = unsafeBitCast(symbol("posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self)
    static let changeDirectory: ChangeDirectory = unsafeBitCast(symbol("posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self)

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer {
        guard let address = dlsym(dlopen(nil, RTLD_NOW), name) else { fatalError("glibc lacks \(name) (needs 2.34 or later)") }
        return address
    }
}
