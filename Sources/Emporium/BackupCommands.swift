import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import Foundation

/// `emporium backup`: consistent online backups, safe while `serve` runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up shops into <subdomain>-<time>.sqlite.gz with a .sha256 manifest (safe while the server runs); --all then copies BACKUP_DIR to BACKUP_SHIP_TO when set."
    )

    @Option(help: "The shop (subdomain or id).") var tenant: String?
    @Flag(help: "Back up every shop.") var all = false
    @Option(help: "Folder for the files (default BACKUP_DIR).") var out: String?

    func validate() throws {
        guard (tenant != nil) != all else { throw ValidationError("Give either --tenant S or --all") }
    }

    func run() async throws {
        let environment = try CommandEnvironment.open()
        let backups = environment.deps.backups
        let directory = out.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        if let tenant {
            let record = try await backups.backup(tenant, into: directory)
            print("\(record.file)  (\(record.bytes) bytes, sha256 \(record.sha256))")
        } else {
            let result = try await backups.backupAll(into: directory)
            for record in result.records { print("\(record.file)  (\(record.bytes) bytes)") }
            for failure in result.failures {
                Output.warn("backup of \(failure.subdomain) failed: \(failure.error)")
            }
            await environment.close()
            if let destination = environment.config.backupShipTo, out == nil {
                try BackupShipping(source: environment.config.backupsDirectory, destination: destination).ship()
                print("shipped to \(destination)")
            }
            if !result.failures.isEmpty { throw ExitCode(1) }
            return
        }
        await environment.close()
    }
}

/// `emporium restore`: verifies a backup, then swaps it in. Refuses while `serve` runs on the
/// same data directory (use the platform API there: the server must swap the file itself).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Verify a backup (checksum, gzip, integrity_check, owner) and swap it in as the shop's database."
    )

    @Option(help: "The shop to restore (subdomain or id).") var tenant: String
    @Flag(help: "Restore even when the backup was taken from another shop.") var force = false
    @Argument(help: "The .sqlite.gz file; its .sha256 manifest must sit beside it.") var file: String

    func run() async throws {
        let environment = try CommandEnvironment.open()
        guard let lock = try DataDirectoryLock.acquire(in: environment.config.dataDirectory) else {
            await environment.close()
            throw DomainError.conflict(
                "A server is running on \(environment.config.dataDirectory): restore through POST /\(environment.config.apiPrefix)/platform/tenants/{id}/restore, or stop it first"
            )
        }
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        let result = try await environment.deps.backups.restore(tenant, from: path, force: force)
        print("Restored \(tenant) from \(result.restoredFrom); the previous file is kept at \(result.previousFileKeptAt)")
        await environment.close()
        withExtendedLifetime(lock) {}
    }
}

/// `emporium export`: one shop (data and record) as one file, to move it to another box.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write one shop (its database and its record) to a single .sqlite.gz file, safe while serving."
    )

    @Option(help: "The shop (subdomain or id).") var tenant: String
    @Option(help: "The file to write, e.g. acme.sqlite.gz (a .sha256 manifest is written beside it).") var out: String

    func run() async throws {
        let environment = try CommandEnvironment.open()
        let path = URL(fileURLWithPath: out).standardizedFileURL.path
        guard !FileManager.default.fileExists(atPath: path) else {
            await environment.close()
            throw DomainError.conflict("\(path) exists; choose another file")
        }
        let record = try await environment.deps.backups.export(tenant, to: path)
        print("\(record.file)  (\(record.bytes) bytes, sha256 \(record.sha256))")
        await environment.close()
    }
}

/// `emporium import`: recreates an exported shop on this box, with its id, record and data.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Create a shop from a file made by emporium export (checked like a restore first)."
    )

    @Option(help: "Serve it under another subdomain than the one it had.") var subdomain: String?
    @Argument(help: "The exported .sqlite.gz file.") var file: String

    func run() async throws {
        let environment = try CommandEnvironment.open()
        let tenant = try await environment.deps.backups.importShop(from: URL(fileURLWithPath: file).standardizedFileURL.path, subdomain: subdomain)
        print("Imported \(tenant.subdomain) (\(tenant.id.lowercased), status \(tenant.status.rawValue))")
        await environment.close()
    }
}

/// `emporium reseal-settings`: the last step of an `ENCRYPTION_KEY` rotation (docs/operations.md),
/// safe while the server runs. Run it before `ENCRYPTION_KEY_PREVIOUS_UNTIL` passes.
struct ResealSettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reseal-settings",
        abstract: "Seal every encrypted setting and two-factor secret again under the current ENCRYPTION_KEY."
    )

    func run() async throws {
        let environment = try CommandEnvironment.open()
        var total = 0
        for tenant in try await environment.deps.tenants.all() {
            let moved = try await environment.deps.settings.resealEncrypted(in: tenant.id, by: .commandLine)
            let secrets = try await environment.deps.twoFactor.resealSecrets(in: tenant.id)
            if moved + secrets > 0 { print("\(tenant.subdomain): \(moved) setting(s), \(secrets) two-factor secret(s) sealed under the current key") }
            total += moved + secrets
        }
        let operators = try await environment.deps.operators.resealTwoFactorSecrets()
        if operators > 0 { print("platform: \(operators) operator two-factor secret(s) sealed under the current key") }
        print("resealed \(total + operators) setting(s) and secret(s)")
        await environment.close()
    }
}
