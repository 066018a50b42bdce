import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import Logging

/// What every command that touches data opens: configuration, storage and the use cases over it.
struct CommandEnvironment {
    let config: AppConfig
    let backend: SQLiteBackend
    let deps: AppDependencies

    static func open() throws -> CommandEnvironment {
        let config = try ConfigLoader.fromProcess().load()
        LoggingSetup.bootstrap(level: config.logLevel)
        let logger = Logger(label: "emporium")
        let backend = try SQLiteBackend(config: config, logger: logger)
        return CommandEnvironment(config: config, backend: backend, deps: AppDependencies(config: config, backend: backend, logger: logger))
    }

    /// Closes the databases cleanly before a short-lived command exits.
    func close() async {
        await backend.shutdown()
    }
}

enum LoggingSetup {
    /// Plain stderr logging until the JSON log handler lands (issue "Observability").
    static func bootstrap(level: String) {
        let parsed = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
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
    /// Writes one line to stdout unbuffered, so a supervising process sees it at once.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
