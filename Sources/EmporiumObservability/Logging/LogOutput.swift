import Foundation
import Logging

/// Where JSON log lines go (DESIGN.md §8): stdout (journald, `docker logs`), `combined.log` with
/// every line, and `error.log` with lines at `error` and above. Shared by every `JSONLogHandler`.
///
/// A request only appends its line to a queue in memory; one writer thread takes everything queued
/// and writes it with one `write(2)` per destination, then pauses `batchInterval` so that under load
/// it wakes once per batch rather than once per line. Written synchronously, the request line cost
/// about 40 % of the server's peak rate (two system calls per request). Lines keep their order;
/// if the destinations fall more than `maximumQueuedBytes` behind, loggers wait (as they did when
/// writing themselves) rather than lines being dropped. `flush()` waits until everything queued is
/// written; the server calls `finish()` on shutdown. Lost on a crash: the lines of the last moment
/// not yet taken by the writer (it runs whenever anything is queued).
public final class LogOutput: @unchecked Sendable {
    public let combined: RotatingLogFile?
    public let errors: RotatingLogFile?
    private let writesStandardOutput: Bool
    static let maximumQueuedBytes = 4 << 20
    /// How long a line may wait for the writer after the previous batch: a bound on how stale the
    /// files are, and what turns one wake-up per request into one per batch.
    static let batchInterval: UInt32 = 5_000  // microseconds

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var queued: [UInt8] = []
    private var queuedErrors: [UInt8] = []
    private var writing = false
    /// The writer waits for a first line; only then does a logger need to wake it.
    private var writerIdle = false

    /// How often the writer checks the files' retention when no line arrives.
    private let retentionCheckInterval: TimeInterval?

    /// - Parameters:
    ///   - directory: `LOG_DIR`; nil writes stdout only.
    ///   - retention: `REQUEST_LOG_RETENTION`, how long lines stay in the files; nil is no limit.
    public init(directory: String?, maxBytes: Int, maxFiles: Int, retention: TimeInterval? = nil, standardOutput: Bool = true) throws {
        if let directory {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            combined = try RotatingLogFile(path: directory + "/combined.log", maxBytes: maxBytes, maxFiles: maxFiles, retention: retention)
            errors = try RotatingLogFile(path: directory + "/error.log", maxBytes: maxBytes, maxFiles: maxFiles, retention: retention)
        } else {
            combined = nil
            errors = nil
        }
        retentionCheckInterval = combined?.ageRotationInterval.map { min($0, 60) }
        writesStandardOutput = standardOutput
        // Lives as long as the process, like the output itself.
        let writer = Thread { [self] in writeQueuedLines() }
        writer.name = "emporium.log-writer"
        writer.start()
    }

    func write(_ line: [UInt8], level: Logger.Level) {
        condition.lock()
        while queued.count >= Self.maximumQueuedBytes {
            condition.wait()
        }
        queued.append(contentsOf: line)
        if level >= .error {
            queuedErrors.append(contentsOf: line)
        }
        if writerIdle {
            condition.broadcast()
        }
        condition.unlock()
    }

    /// Waits until every line logged before the call is written.
    public func flush() {
        condition.lock()
        while !queued.isEmpty || writing {
            condition.wait()
        }
        condition.unlock()
    }

    /// SIGHUP: start new files at the same paths (logrotate's `create` mode).
    public func reopen() {
        flush()
        combined?.reopen()
        errors?.reopen()
    }

    /// Writes what is queued and lets pending compressions finish (on shutdown, so no line is lost
    /// and no rotated file is left plain).
    public func finish() {
        flush()
        combined?.waitForBackgroundWork()
        errors?.waitForBackgroundWork()
    }

    private func writeQueuedLines() {
        var lastRetentionCheck = Date()
        while true {
            condition.lock()
            while queued.isEmpty {
                writerIdle = true
                if let interval = retentionCheckInterval {
                    _ = condition.wait(until: lastRetentionCheck.addingTimeInterval(interval))
                } else {
                    condition.wait()
                }
                writerIdle = false
                if let interval = retentionCheckInterval, Date().timeIntervalSince(lastRetentionCheck) >= interval { break }
            }
            let lines = queued, errorLines = queuedErrors
            queued.removeAll(keepingCapacity: true)
            queuedErrors.removeAll(keepingCapacity: true)
            writing = true
            condition.broadcast()
            condition.unlock()

            if writesStandardOutput {
                _ = RotatingLogFile.writeFully(STDOUT_FILENO, lines[...])
            }
            combined?.write(lines)
            if !errorLines.isEmpty {
                errors?.write(errorLines)
            }

            if let interval = retentionCheckInterval, Date().timeIntervalSince(lastRetentionCheck) >= interval {
                lastRetentionCheck = Date()
                combined?.expire()
                errors?.expire()
            }

            condition.lock()
            writing = false
            condition.broadcast()
            condition.unlock()
            usleep(Self.batchInterval)
        }
    }
}
