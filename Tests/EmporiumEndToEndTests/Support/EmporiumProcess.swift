import EmporiumSupport
import Foundation
import TestScratch

/// The real `emporium` binary, run as a child process on a fresh data directory.
/// Every wait is bounded, so a broken build fails a test instead of hanging CI.
final class EmporiumProcess {
    let dataDirectory: String
    let environment: [String: String]
    private let process: SpawnedProcess
    private let output = OutputBuffer()
    private let errorOutput = OutputBuffer()

    /// The built binary: `EMPORIUM_BINARY` if set, else `emporium` next to the test bundle.
    static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["EMPORIUM_BINARY"], !explicit.isEmpty { return explicit }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" || directory.pathExtension == "xctest" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("emporium").path
    }

    static func freshDataDirectory() -> String {
        scratchPath("emporium-e2e")
    }

    /// Runs a short command (`tenant create`, `version`, …) to completion.
    static func run(_ arguments: [String], dataDirectory: String, environment extra: [String: String] = [:], stdin: String? = nil,
                    timeout: TimeInterval = 30) throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try SpawnedProcess(binary, arguments, environment: baseEnvironment(dataDirectory).merging(extra) { _, new in new },
                                       directory: NSTemporaryDirectory())
        if let stdin { child.input.write(Data(stdin.utf8)) }
        try? child.input.close()
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if child.isRunning {
            kill(child.pid, SIGKILL)
            _ = child.exitStatus(waiting: true)
            throw E2EFailure("emporium \(arguments.joined(separator: " ")) did not finish within \(timeout)s")
        }
        let stdout = String(decoding: child.output.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: child.errorOutput.readDataToEndOfFile(), as: UTF8.self)
        return (child.exitStatus() ?? -1, stdout, stderr)
    }

    static func baseEnvironment(_ dataDirectory: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("EMPORIUM_") && $0.key != "NODE_ENV" }
        environment["DATA_DIR"] = dataDirectory
        environment["EMPORIUM_ENV"] = "test"
        environment["BCRYPT_COST"] = "4"
        environment["LOG_LEVEL"] = "warning"
        environment["PORT"] = "0"
        environment["HOST"] = "127.0.0.1"
        return environment
    }

    /// Starts `emporium serve` and waits until it prints the address it listens on.
    init(arguments: [String] = ["serve"], dataDirectory: String = EmporiumProcess.freshDataDirectory(),
         environment extra: [String: String] = [:]) throws {
        self.dataDirectory = dataDirectory
        self.environment = Self.baseEnvironment(dataDirectory).merging(extra) { _, new in new }
        process = try SpawnedProcess(Self.binary, arguments, environment: environment, directory: NSTemporaryDirectory())
        try? process.input.close()
        PipeReader.copy(process.output, into: output)
        PipeReader.copy(process.errorOutput, into: errorOutput)
    }

    var stdout: String { output.text }
    var stderr: String { errorOutput.text }
    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.exitStatus() ?? -1 }
    var pid: Int32 { process.pid }

    /// The port from the "listening on http(s)://127.0.0.1:PORT" line, waiting up to `timeout`.
    func waitForPort(timeout: TimeInterval = 20) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let range = stdout.range(of: #"listening on https?://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let match = stdout[range]
                if let port = Int(match.split(separator: ":").last ?? "") { return port }
            }
            if !process.isRunning {
                throw E2EFailure("emporium exited with \(exitStatus) before listening\nstdout: \(stdout)\nstderr: \(stderr)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw E2EFailure("emporium did not report a port within \(timeout)s\nstdout: \(stdout)\nstderr: \(stderr)")
    }

    func signal(_ signal: Int32) {
        kill(process.pid, signal)
    }

    /// Waits for the process to exit; returns the seconds it took, or throws after `timeout`.
    @discardableResult
    func waitForExit(timeout: TimeInterval) throws -> TimeInterval {
        let start = Date()
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                kill(process.pid, SIGTERM)
                throw E2EFailure("emporium still running \(timeout)s after the signal")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return Date().timeIntervalSince(start)
    }

    /// Stops the server if a test left it running, and removes the data directory.
    func cleanUp() {
        if process.isRunning {
            kill(process.pid, SIGKILL)
            _ = process.exitStatus(waiting: true)
        }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}

struct E2EFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
