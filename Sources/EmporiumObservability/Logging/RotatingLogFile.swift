import EmporiumSupport
import Dispatch
import Foundation
import Synchronization

/// An append-only log file that rotates by size and keeps a bounded number of gzip'd old files.
///
/// Whole lines are written with `write(2)` under a lock, and rotation happens between lines,
/// so no line is ever split or lost. Rotation itself is a rename plus a fresh open; the compression
/// of the rotated file and the pruning of old ones run on a background queue, so a request that
/// logs never waits for zlib. `reopen()` (SIGHUP) starts a new file after logrotate moved the old one.
///
/// With a `retention` (`REQUEST_LOG_RETENTION`), request lines carry clients' addresses, so they
/// must not outlive it: the file also rotates by age (every quarter of the retention, at most a
/// day), and `expire(now:)` deletes rotated files whose newest line is older than the retention.
public final class RotatingLogFile: Sendable {
    public let path: String
    private let maxBytes: Int
    private let maxFiles: Int
    private let retention: TimeInterval?
    private let state: Mutex<State>
    private let compression: DispatchQueue

    private struct State {
        var descriptor: Int32
        var size: Int
        var sequence = 0
        /// When the current file got its first line (or was opened empty): the age rotation's clock.
        var startedAt: Date
    }

    /// - Parameters:
    ///   - maxBytes: the size at which the file is rotated (`LOG_MAX_SIZE_MB`).
    ///   - maxFiles: how many rotated, gzip'd files are kept (`LOG_MAX_FILES`).
    ///   - retention: how long a line may be kept (`REQUEST_LOG_RETENTION`); nil keeps lines until
    ///     size rotation and `maxFiles` push them out.
    public init(path: String, maxBytes: Int, maxFiles: Int, retention: TimeInterval? = nil) throws {
        self.path = path
        self.maxBytes = max(maxBytes, 1)
        self.maxFiles = max(maxFiles, 1)
        self.retention = retention
        self.compression = DispatchQueue(label: "emporium.log-compression.\((path as NSString).lastPathComponent)")
        let opened = try Self.open(path)
        var state = State(descriptor: opened.descriptor, size: opened.size, startedAt: Date())
        var rotated: [String] = []
        // A file left by an earlier run holds lines of unknown age: with a retention it is rotated
        // now, and ages out by its last write like any rotated file.
        if retention != nil, state.size > 0, let file = Self.rotate(path, &state) {
            rotated.append(file)
        }
        self.state = Mutex(state)
        // Rotated files left plain by an earlier run (stopped mid-compression) are finished now.
        for leftover in rotatedFiles(compressed: false) where !rotated.contains(leftover) {
            scheduleCompression(of: leftover)
        }
        for file in rotated { scheduleCompression(of: file) }
    }

    /// How often the file rotates by age under a retention: a line outlives the retention by at
    /// most this (plus the check interval of `LogOutput`).
    public var ageRotationInterval: TimeInterval? {
        retention.map { min($0 / 4, 86_400) }
    }

    /// Under a retention: rotates the current file once it is `ageRotationInterval` old, and
    /// deletes rotated files last written more than the retention ago. Without one, does nothing.
    public func expire(now: Date = Date()) {
        guard let retention, let interval = ageRotationInterval else { return }
        let rotated: String? = state.withLock { state in
            guard state.size > 0, now.timeIntervalSince(state.startedAt) >= interval else { return nil }
            return Self.rotate(path, &state)
        }
        if let rotated { scheduleCompression(of: rotated) }
        let cutoff = now.addingTimeInterval(-retention)
        compression.async { [self] in
            for file in rotatedFiles(compressed: true) + rotatedFiles(compressed: false) {
                guard let modified = try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date else { continue }
                if modified < cutoff { unlink(file) }
            }
        }
    }

    deinit {
        state.withLock { close($0.descriptor) }
    }

    /// Appends whole lines (each ending in a newline): one line, or a batch written with as few
    /// `write(2)` calls as the size bound allows. Rotation happens between lines; a single line
    /// longer than the bound goes alone into a fresh file.
    public func write(_ lines: [UInt8]) {
        var rotated: [String] = []
        state.withLock { state in
            var start = 0
            while start < lines.count {
                let room = maxBytes - state.size
                var end = lines.count
                if end - start > room {
                    if room > 0, let cut = lines[start..<(start + room)].lastIndex(of: Self.newline) {
                        end = cut + 1  // the lines that fit; the rest after a rotation
                    } else if state.size > 0 {
                        // Nothing more fits. If rotation fails (e.g. disk full), keep appending rather than lose lines.
                        if let file = Self.rotate(path, &state) {
                            rotated.append(file)
                            continue
                        }
                    } else {
                        end = (lines[start...].firstIndex(of: Self.newline) ?? lines.count - 1) + 1  // one line longer than the bound
                    }
                }
                if state.size == 0 { state.startedAt = Date() }
                state.size += Self.writeFully(state.descriptor, lines[start..<end])
                start = end
            }
        }
        for file in rotated { scheduleCompression(of: file) }
    }

    private static let newline = UInt8(ascii: "\n")

    /// Closes and reopens `path` (after an external rename, e.g. logrotate followed by SIGHUP).
    public func reopen() {
        state.withLock { state in
            guard let opened = try? Self.open(path) else { return }
            close(state.descriptor)
            state.descriptor = opened.descriptor
            state.size = opened.size
            state.startedAt = Date()
        }
    }

    /// Waits until every scheduled compression and pruning has finished (shutdown, tests).
    public func waitForBackgroundWork() {
        compression.sync {}
    }

    /// Rotated files next to `path`, oldest first: `combined.log.<UTC timestamp>-<n>` and `….gz`.
    public func rotatedFiles(compressed: Bool = true) -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard name.hasPrefix(prefix), !name.hasSuffix(".partial") else { return false }
            return name.hasSuffix(".gz") == compressed
        }.sorted().map { directory + "/" + $0 }
    }

    private static func rotate(_ path: String, _ state: inout State) -> String? {
        state.sequence += 1
        let rotated = "\(path).\(UTCTime.now().compact)-\(String(format: "%06d", state.sequence))"
        guard rename(path, rotated) == 0, let opened = try? Self.open(path) else {
            // Rotation failed (e.g. disk full): keep appending to the current file rather than lose lines.
            return nil
        }
        close(state.descriptor)
        state.descriptor = opened.descriptor
        state.size = opened.size
        state.startedAt = Date()
        return rotated
    }

    private func scheduleCompression(of rotated: String) {
        compression.async { [self] in
            if (try? Gzip.compress(file: rotated, to: rotated + ".gz")) != nil {
                unlink(rotated)
            }
            for old in rotatedFiles(compressed: true).dropLast(maxFiles) {
                unlink(old)
            }
        }
    }

    private static func open(_ path: String) throws -> (descriptor: Int32, size: Int) {
        let descriptor = Foundation.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw Gzip.Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var status = stat()
        fstat(descriptor, &status)
        return (descriptor, Int(status.st_size))
    }

    /// Writes all of `bytes` (retrying short writes and EINTR); returns how many were written.
    static func writeFully(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) -> Int {
        var written = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                written += count
            }
        }
        return written
    }
}
