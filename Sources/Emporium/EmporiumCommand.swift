import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation

/// `emporium`: the one binary. Subcommands per DESIGN.md "Command line".
@main
struct EmporiumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emporium",
        abstract: "A multi-tenant commerce backend in one binary.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, BackupCommand.self, RestoreCommand.self, ExportCommand.self, ImportCommand.self, OperatorCommand.self, TenantCommand.self, UserCommand.self, CustomerCommand.self, FleetCommand.self,
            CheckConfigCommand.self, HealthCheckCommand.self, ResealSettingsCommand.self, VersionCommand.self,
        ]
    )

    /// Runs the command; our own errors end with one line on stderr and exit status 1.
    static func main() async {
        // Shop files, WAL, backups, exports and logs hold customers' data: owner-only (0600/0700)
        // whatever umask the caller runs with.
        umask(0o077)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as DomainError {
            fail(error.description)
        } catch let error as ConfigError {
            fail(error.description)
        } catch let error as SchemaTooNewError {
            fail(error.description)
        } catch let error as HealthCheckFailed {
            fail(error.description)
        } catch let error as TLSFileError {
            fail(error.description)
        } catch {
            exit(withError: error)
        }
    }

    static func fail(_ message: String) -> Never {
        Output.warn(message)
        Foundation.exit(1)
    }
}
