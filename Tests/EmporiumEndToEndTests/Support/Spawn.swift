import EmporiumSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The tests' children: `ChildProcess.Running` from the support module, the server's own wrapper
/// (`posix_spawn`, not `Foundation.Process`, which crashes now and then on Swift 6.3.1 for Linux
/// while it lists `/proc/self/fd`, swift-corelibs-foundation #5472).
typealias SpawnedProcess = ChildProcess.Running

extension ChildProcess.Running {
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
