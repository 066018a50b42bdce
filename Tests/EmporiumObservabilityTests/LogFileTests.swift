@testable import EmporiumObservability
import EmporiumSupport
import Foundation
import Logging
import TestScratch
import Testing

@Suite("Log files: rotation, gzip, reopen, JSON lines")
struct LogFileTests {
    func freshDirectory() throws -> String {
        let path = scratchPath("emporium-logs")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func line(_ number: Int) -> [UInt8] {
        Array(#"{"n":\#(number),"message":"request line with some padding to make it about a hundred bytes long"}"#.utf8) + [10]
    }

    /// Every line of the current file and of each kept gzip file, oldest file first.
    func keptLines(_ file: RotatingLogFile) throws -> [[String: Any]] {
        var texts = try file.rotatedFiles().map { String(decoding: try Gzip.contents(of: $0), as: UTF8.self) }
        texts.append(try String(contentsOfFile: file.path, encoding: .utf8))
        return try texts.flatMap { text in
            #expect(text.isEmpty || text.hasSuffix("\n"), "a file ends inside a line")
            return try text.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a whole JSON line: \(line)")
            }
        }
    }

    @Test func rotatesAtTheSizeLimitKeepsABoundedNumberOfGzipFilesAndLosesNoKeptLine() throws {
        let directory = try freshDirectory()
        let file = try RotatingLogFile(path: directory + "/combined.log", maxBytes: 64 * 1024, maxFiles: 5)
        for number in 0..<20_000 {
            file.write(line(number))
        }
        file.waitForBackgroundWork()

        let kept = file.rotatedFiles()
        #expect(kept.count == 5)
        #expect(file.rotatedFiles(compressed: false).isEmpty, "a rotated file was left uncompressed")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.count == 6, "\(names)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        #expect(size <= 64 * 1024)
        for path in kept {
            let rotatedSize = try #require(try Gzip.contents(of: path).count as Int?)
            #expect(rotatedSize <= 64 * 1024 && rotatedSize > 60 * 1024)
        }
        // What is kept is an unbroken run of the newest lines, ending with the last one written.
        let numbers = try keptLines(file).map { try #require($0["n"] as? Int) }
        #expect(numbers.last == 19_999)
        #expect(numbers == Array((20_000 - numbers.count)..<20_000))
        #expect(numbers.count > 5 * 600)
    }

    /// The log writer thread hands over everything queued at once: a batch is cut between lines at
    /// the size bound, never inside one, and nothing is lost or reordered.
    @Test func batchesOfLinesRotateBetweenLinesAtTheSizeLimit() throws {
        let directory = try freshDirectory()
        let file = try RotatingLogFile(path: directory + "/combined.log", maxBytes: 16 * 1024, maxFiles: 1_000)
        var next = 0
        for batchSize in [1, 7, 150, 3, 400, 1, 999, 60] {
            file.write((next..<(next + batchSize)).flatMap(line))
            next += batchSize
        }
        // A line longer than the bound goes alone into a fresh file.
        let long = Array(#"{"n":\#(next),"message":"\#(String(repeating: "x", count: 20_000))"}"#.utf8) + [10]
        file.write(line(next + 1) + long + line(next + 2))
        file.waitForBackgroundWork()

        let numbers = try keptLines(file).map { try #require($0["n"] as? Int) }
        #expect(numbers == Array(0..<next) + [next + 1, next, next + 2])
        for path in file.rotatedFiles() {
            let contents = try Gzip.contents(of: path)
            #expect(contents.count <= 16 * 1024 || contents.count == long.count, "\(contents.count) bytes in \(path)")
        }
        #expect(file.rotatedFiles().count > 10)
    }

    @Test func concurrentWritersNeverSplitOrLoseALine() async throws {
        let directory = try freshDirectory()
        let file = try RotatingLogFile(path: directory + "/combined.log", maxBytes: 32 * 1024, maxFiles: 1_000)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<2_000 { file.write(line(writer * 10_000 + index)) }
                }
            }
        }
        file.waitForBackgroundWork()
        let numbers = try keptLines(file).map { try #require($0["n"] as? Int) }
        #expect(numbers.count == 16_000)
        #expect(Set(numbers).count == 16_000)
        #expect(file.rotatedFiles().count > 10)
    }

    @Test func reopenAfterAnExternalRenameStartsAFreshFile() throws {
        let directory = try freshDirectory()
        let file = try RotatingLogFile(path: directory + "/combined.log", maxBytes: 1_048_576, maxFiles: 3)
        file.write(line(1))
        // logrotate moves the file; until the reopen, lines still reach the moved file.
        #expect(rename(directory + "/combined.log", directory + "/combined.log.moved") == 0)
        file.write(line(2))
        file.reopen()
        file.write(line(3))
        let moved = try String(contentsOfFile: directory + "/combined.log.moved", encoding: .utf8)
        let fresh = try String(contentsOfFile: directory + "/combined.log", encoding: .utf8)
        #expect(moved.split(separator: "\n").count == 2)
        #expect(fresh.split(separator: "\n").count == 1)
        #expect(fresh.contains(#""n":3"#))
    }

    @Test func aTruncatedGzipIsRefused() throws {
        let directory = try freshDirectory()
        let plain = directory + "/data"
        try Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: plain))
        try Gzip.compress(file: plain, to: plain + ".gz")
        #expect(try Gzip.contents(of: plain + ".gz").count == 200_000)
        let whole = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: directory + "/cut.gz"))
        #expect(throws: Gzip.Failure.self) { try Gzip.contents(of: directory + "/cut.gz") }
    }

    @Test func timestampsArePaddedISO8601InUTC() {
        let early = UTCTime(Date(timeIntervalSince1970: 1_767_582_245.007))
        #expect(early.iso8601 == "2026-01-05T03:04:05.007Z")
        #expect(early.sqlText == "2026-01-05 03:04:05.007")
        #expect(early.compact == "20260105T030405.007Z", "rotated log names, in the same digits")
        #expect(early.compactSeconds == "20260105T030405Z")
        #expect(UTCTime.date(compact: early.compact) == Date(timeIntervalSince1970: 1_767_582_245.007))
        for malformed in ["20261305T030405.007Z", "20260105T030465.007Z", "20260105 030405.007Z", "2026010T5030405.007Z", "x"] {
            #expect(UTCTime.date(compact: malformed) == nil, "\(malformed)")
        }
        #expect(UTCTime(Date(timeIntervalSince1970: 946_684_799.999)).iso8601 == "1999-12-31T23:59:59.999Z")
    }

    @Test func secretKeysAreRecognisedWhateverTheirCase() {
        for key in ["password", "newPassword", "refreshToken", "Authorization", "X_API_Key", "clientSecret", "Cookie", "encryptionKey"] {
            #expect(JSONLogHandler.isSecret(key), "\(key)")
        }
        for key in ["url", "statusCode", "tenantId", "userAgent", "duration", "route"] {
            #expect(!JSONLogHandler.isSecret(key), "\(key)")
        }
    }

    @Test func handlerWritesOneJSONObjectPerLineWithNumbersAndRedactedSecrets() throws {
        let directory = try freshDirectory()
        let output = try LogOutput(directory: directory, maxBytes: 1_048_576, maxFiles: 2, standardOutput: false)
        var logger = Logger(label: "emporium") { label in
            JSONLogHandler(label: label, output: output, level: .info, environment: "test")
        }
        logger[metadataKey: "correlationId"] = "abc-123"
        logger.info("HTTP Request", metadata: [
            "statusCode": .stringConvertible(201), "duration": .stringConvertible(1.25), "url": "/api/v1/orders",
            "password": "hunter2-secret", "refreshToken": "tok-secret", "Authorization": "Bearer abc.def",
            "note": "line\nbreak \"quoted\" \u{1}", "separator": "a\u{2028}b",
        ])
        logger.debug("below the level")
        logger.error("something failed")
        output.flush()

        let combined = try String(contentsOfFile: directory + "/combined.log", encoding: .utf8)
        let lines = combined.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["message"] as? String == "HTTP Request")
        #expect(first["level"] as? String == "info")
        #expect(first["service"] as? String == "emporium")
        #expect(first["version"] as? String == BuildInfo.version)
        #expect(first["environment"] as? String == "test")
        #expect(first["correlationId"] as? String == "abc-123")
        #expect(first["statusCode"] as? Int == 201)
        #expect(first["duration"] as? Double == 1.25)
        #expect(first["note"] as? String == "line\nbreak \"quoted\" \u{1}")
        #expect(first["separator"] as? String == "a\u{2028}b")
        #expect(lines[0].contains(#"a\u2028b"#))
        #expect((first["timestamp"] as? String)?.hasSuffix("Z") == true)
        for key in ["password", "refreshToken", "Authorization"] {
            #expect(first[key] as? String == "[REDACTED]")
        }
        #expect(!combined.contains("hunter2") && !combined.contains("tok-secret") && !combined.contains("abc.def"))

        let errors = try String(contentsOfFile: directory + "/error.log", encoding: .utf8)
        #expect(errors.split(separator: "\n").count == 1)
        #expect(errors.contains("something failed"))
    }
}
