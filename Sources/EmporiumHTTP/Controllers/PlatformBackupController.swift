import EmporiumCore
import Foundation
import Hummingbird

/// `/platform/tenants/{id}/backups` and `/restore`: operators back up and restore a shop while the
/// server runs (the server swaps the file itself, so no write is lost). Restores only take file
/// names inside `BACKUP_DIR`: the API never reads an arbitrary path of the machine.
struct PlatformBackupController {
    let backups: BackupService
    let backupsDirectory: String
    /// Folders whose names never reach an API caller (operators sign in remotely; the box's layout
    /// is the host's business): the data and backup folders.
    var privateFolders: [String] = []

    func addRoutes(to group: RouterGroup<PlatformRequestContext>) {
        group.post("tenants/{id}/backups", use: create)
            .get("tenants/{id}/backups", use: list)
            .post("tenants/{id}/restore", use: restore)
    }

    struct RestoreRequest: Decodable {
        /// A backup's file name as the list shows it, e.g. `acme-20261125T214500.123Z.sqlite.gz`.
        let file: String
        let force: Bool?
    }

    @Sendable func create(_ request: Request, context: PlatformRequestContext) async throws -> EditedResponse<Envelope<BackupDTO>> {
        let record = try await withoutPaths { try await backups.backup(try context.parameters.require("id")) }
        return EditedResponse(status: .created, response: Envelope(BackupDTO(record)))
    }

    @Sendable func list(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<[String: [BackupDTO]]> {
        Envelope(["backups": try await withoutPaths { try await backups.backups(of: try context.parameters.require("id")) }.map(BackupDTO.init)])
    }

    /// Runs `body`; a domain error leaves with the private folders' names taken out of its messages.
    private func withoutPaths<T>(_ body: () async throws -> T) async throws -> T {
        try await DomainError.hidingPaths(under: privateFolders + [backupsDirectory], body)
    }

    @Sendable func restore(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<RestoreDTO> {
        let input = try await request.decodeJSON(as: RestoreRequest.self, context: context)
        guard !input.file.isEmpty, !input.file.contains("/"), !input.file.hasPrefix("."), input.file.hasSuffix(".sqlite.gz") else {
            throw DomainError.invalid("file", "must be the name of a .sqlite.gz file in the backup folder")
        }
        let result = try await withoutPaths {
            try await backups.restore(try context.parameters.require("id"), from: backupsDirectory + "/" + input.file, force: input.force ?? false)
        }
        return Envelope(RestoreDTO(result))
    }
}

struct BackupDTO: Encodable, Sendable {
    let tenantId: String
    let subdomain: String
    let file: String
    let sha256: String
    let bytes: Int
    let createdAt: Date

    init(_ record: BackupRecord) {
        tenantId = record.tenantID.lowercased
        subdomain = record.subdomain
        file = (record.file as NSString).lastPathComponent
        sha256 = record.sha256
        bytes = record.bytes
        createdAt = record.createdAt
    }
}

struct RestoreDTO: Encodable, Sendable {
    let tenantId: String
    let restoredFrom: String
    let backupOf: String?
    let previousFileKeptAt: String

    init(_ result: RestoreResult) {
        tenantId = result.tenantID.lowercased
        restoredFrom = (result.restoredFrom as NSString).lastPathComponent
        backupOf = result.backupOf?.lowercased
        previousFileKeptAt = (result.previousFileKeptAt as NSString).lastPathComponent
    }
}
