import Foundation
import Logging
import Synchronization

/// Where JSON log lines go (DESIGN.md §8): stdout (journald, `docker logs`), `combined.log` with
/// every line, and `error.log` with lines at `error` and above. Shared by every `JSONLogHandler`.
public final class LogOutput: Sendable {
    public let combined: RotatingLogFile?
    public let errors: RotatingLogFile?
    private let writesStandardOutput: Bool
    /// Lines longer than PIPE_BUF could interleave on stdout without it.
    private let standardOutputLock = Mutex(())

    /// - Parameter directory: `LOG_DIR`; nil writes stdout only.
    public init(directory: String?, maxBytes: Int, maxFiles: Int, standardOutput: Bool = true) throws {
        if let directory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            combined = try RotatingLogFile(path: directory + "/combined.log", maxBytes: maxBytes, maxFiles: maxFiles)
            errors = try RotatingLogFile(path: directory + "/error.log", maxBytes: maxBytes, maxFiles: maxFiles)
        } else {
            combined = nil
            errors = nil
        }
        writesStandardOutput = standardOutput
    }

    func write(_ line: [UInt8], level: Logger.Level) {
        if writesStandardOutput {
            standardOutputLock.withLock { _ in _ = RotatingLogFile.writeFully(STDOUT_FILENO, line) }
        }
        combined?.write(line)
        if level >= .error {
            errors?.write(line)
        }
    }

    /// SIGHUP: start new files at the same paths (logrotate's `create` mode).
    public func reopen() {
        combined?.reopen()
        errors?.reopen()
    }

    /// Lets pending compressions finish (on shutdown, so no rotated file is left plain).
    public func finish() {
        combined?.waitForBackgroundWork()
        errors?.waitForBackgroundWork()
    }
}
