import EmporiumCore
import EmporiumHTTP
import EmporiumObservability
import EmporiumSQLite
import Foundation
import Logging

/// What every command that touches data opens: configuration, storage and the use cases over it.
struct CommandEnvironment {
    let config: AppConfig
    let backend: SQLiteBackend
    let deps: AppDependencies
    /// The JSON log files of `serve` (nil for short-lived commands, which log plain text to stderr).
    let logOutput: LogOutput?

    /// - Parameter serverLogs: JSON lines to stdout and `LOG_DIR` (serve) instead of plain stderr.
    static func open(serverLogs: Bool = false) throws -> CommandEnvironment {
        let config = try ConfigLoader.fromProcess().load()
        let logOutput = serverLogs ? try LoggingSetup.bootstrapJSON(config) : nil
        if !serverLogs {
            LoggingSetup.bootstrapConsole(level: config.logLevel)
        }
        let logger = Logger(label: "emporium")
        let backend = try SQLiteBackend(config: config, logger: logger)
        return CommandEnvironment(config: config, backend: backend, deps: AppDependencies(config: config, backend: backend, logger: logger),
                                  logOutput: logOutput)
    }

    /// Closes the databases cleanly before a short-lived command exits.
    func close() async {
        await backend.shutdown()
    }

    /// Opens the environment, runs `body`, and closes it whether `body` succeeds or throws.
    static func using<T>(_ body: (CommandEnvironment) async throws -> T) async throws -> T {
        let environment = try open()
        do {
            let result = try await body(environment)
            await environment.close()
            return result
        } catch {
            await environment.close()
            throw error
        }
    }
}

enum LoggingSetup {
    /// Commands run by a person: plain lines on stderr.
    static func bootstrapConsole(level: String) {
        let parsed = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
    }

    /// The server: one JSON object per line to stdout, `LOG_DIR/combined.log` and `error.log`,
    /// rotated at `LOG_MAX_SIZE_MB`, `LOG_MAX_FILES` gzip'd files kept (DESIGN.md §8).
    static func bootstrapJSON(_ config: AppConfig) throws -> LogOutput {
        let output = try LogOutput(directory: config.logDirectory, maxBytes: config.logMaxSizeMB * 1_048_576, maxFiles: config.logMaxFiles,
                                   retention: config.requestLogRetention)
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            JSONLogHandler(label: label, output: output, level: level, environment: config.environment.rawValue)
        }
        return output
    }
}

enum Output {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reads a password from `--password` or, with `--password-stdin`, the first line of stdin.
    static func password(_ option: String?, fromStdin: Bool) throws -> String {
        if fromStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw DomainError.invalid("password", "no password on standard input")
            }
            return line
        }
        guard let option else { throw DomainError.invalid("password", "is required (--password or --password-stdin)") }
        return option
    }
}

extension Output {
    /// `emporium: <message>` on stderr: what went wrong beside a result printed on stdout.
    @Sendable static func warn(_ message: String) {
        FileHandle.standardError.write(Data("emporium: \(message)\n".utf8))
    }

    /// Writes one line to stdout unbuffered, so a supervising process sees it at once.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
