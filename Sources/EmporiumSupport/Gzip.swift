import CZlib
import Foundation

/// gzip files with zlib: rotated logs and backups are written as `.gz` that `zcat` and `gunzip` read.
public enum Gzip {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    private static let chunkSize = 256 * 1024

    /// Compresses `source` into `destination` (written under a temporary name, then renamed, so a
    /// reader never sees half a file).
    public static func compress(file source: String, to destination: String, level: Int32 = 6) throws {
        guard let input = fopen(source, "rb") else { throw Failure(description: "cannot read \(source)") }
        defer { fclose(input) }
        let partial = destination + ".partial"
        guard let output = gzopen(partial, "wb\(level)") else { throw Failure(description: "cannot write \(partial)") }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var failed = false
        while !failed {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, input) }
            if count == 0 { failed = ferror(input) != 0; break }
            let written = buffer.withUnsafeBytes { gzwrite(output, $0.baseAddress, UInt32(count)) }
            failed = written != Int32(count)
        }
        let closed = gzclose(output)
        guard !failed, closed == Z_OK else {
            unlink(partial)
            throw Failure(description: "compressing \(source) failed")
        }
        guard rename(partial, destination) == 0 else {
            unlink(partial)
            throw Failure(description: "cannot rename \(partial): \(String(cString: strerror(errno)))")
        }
    }

    /// Decompresses `source` into `destination`; a truncated or corrupt file throws.
    public static func decompress(file source: String, to destination: String) throws {
        guard let input = gzopen(source, "rb") else { throw Failure(description: "cannot read \(source)") }
        defer { gzclose(input) }
        guard let output = fopen(destination, "wb") else { throw Failure(description: "cannot write \(destination)") }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var ok = true
        while true {
            let count = buffer.withUnsafeMutableBytes { gzread(input, $0.baseAddress, UInt32($0.count)) }
            if count < 0 { ok = false; break }
            if count == 0 { break }
            let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, Int(count), output) }
            if written != Int(count) { ok = false; break }
        }
        var errorCode: Int32 = 0
        _ = gzerror(input, &errorCode)
        let flushed = fclose(output) == 0
        // gzread reports a truncated stream only through gzerror (Z_BUF_ERROR) at the end.
        guard ok, flushed, errorCode == Z_OK || errorCode == Z_STREAM_END else {
            unlink(destination)
            throw Failure(description: "\(source) is not a complete gzip file")
        }
    }

    /// The decompressed bytes of a small file (tests, manifests).
    public static func contents(of source: String) throws -> Data {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gunzip-\(UUID().uuidString)").path
        defer { unlink(scratch) }
        try decompress(file: source, to: scratch)
        return try Data(contentsOf: URL(fileURLWithPath: scratch))
    }
}
