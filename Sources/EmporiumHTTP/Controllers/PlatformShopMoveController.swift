import Crypto
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What moving a shop between nodes asks of each node (`emporium fleet move`, `fleet failover`):
/// freeze the shop's writes on the source, hand out its file, take the file in on the target (or
/// from a standby's copy of a lost node's backups). Operators only; the box's paths never appear.
struct PlatformShopMoveController {
    let tenants: TenantService
    let backups: BackupService
    let freeze: ShopWriteFreeze
    let backupsDirectory: String
    /// Where the upload and the export are staged: room is measured there.
    let dataDirectory: String

    /// Room an upload must leave free on the data folder's disk: the shops already there keep
    /// writing while a new one arrives.
    static let reserveBytes: Int64 = 1 << 30
    static let checksumHeader = HTTPField.Name("X-Content-SHA256")!

    func addRoutes(to group: RouterGroup<PlatformRequestContext>) {
        group.put("tenants/{id}/freeze", use: freezeWrites)
            .get("tenants/{id}/freeze", use: showFreeze)
            .delete("tenants/{id}/freeze", use: thaw)
            .get("tenants/{id}/export", use: export)
            .post("tenants/import", use: importShop)
    }

    struct FreezeRequest: Decodable {
        let seconds: Int
    }

    struct FreezeDTO: Encodable, Sendable {
        let tenantId: String
        /// When refused writes come back by themselves; null when writes go through.
        @NullWhenAbsent var frozenUntil: Date?
    }

    /// From a standby's copies: the newest backup of `shop` in the folder `folder` of `BACKUP_DIR`.
    struct ImportFromBackupRequest: Decodable {
        let folder: String
        let shop: String
    }

    struct ImportDTO: Encodable, Sendable {
        let tenant: TenantDTO
        /// The file's SHA-256 as this node computed it.
        let sha256: String
        let bytes: Int
        /// When the copy was taken, for an import from a backup: the data is this old.
        @NullWhenAbsent var backupTakenAt: Date?
    }

    @Sendable func freezeWrites(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<FreezeDTO> {
        let input = try await request.decodeJSON(as: FreezeRequest.self, context: context)
        let tenant = try await tenants.find(try context.parameters.require("id"))
        let until = try await freeze.freeze(tenant.id, seconds: input.seconds)
        return Envelope(FreezeDTO(tenantId: tenant.id.lowercased, frozenUntil: until))
    }

    @Sendable func showFreeze(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<FreezeDTO> {
        let tenant = try await tenants.find(try context.parameters.require("id"))
        return Envelope(FreezeDTO(tenantId: tenant.id.lowercased, frozenUntil: freeze.frozenUntil(tenant.id)))
    }

    @Sendable func thaw(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<FreezeDTO> {
        let tenant = try await tenants.find(try context.parameters.require("id"))
        freeze.thaw(tenant.id)
        return Envelope(FreezeDTO(tenantId: tenant.id.lowercased, frozenUntil: nil))
    }

    /// The shop's file as `emporium export` writes it (online backup with its record, gzip), streamed;
    /// its SHA-256 in `X-Content-SHA256` so the receiver can check what arrived.
    @Sendable func export(_ request: Request, context: PlatformRequestContext) async throws -> Response {
        let tenant = try await tenants.find(try context.parameters.require("id"))
        let staging = try stagingFolder("exports")
        let file = staging + "/\(UUID().uuidString.lowercased()).sqlite.gz"
        let record: BackupRecord
        do {
            record = try await withoutPaths { try await backups.export(tenant.id.lowercased, to: file) }
        } catch {
            Self.remove(file)
            Self.remove(file + ".sha256")
            throw error
        }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            Self.remove(file)
            Self.remove(file + ".sha256")
            throw DomainError.unavailable("The export could not be read back")
        }
        // The name is gone from the folder at once; the open handle keeps the bytes until it closes.
        Self.remove(file)
        Self.remove(file + ".sha256")
        var headers = HTTPFields()
        headers[.contentType] = "application/gzip"
        headers[.contentDisposition] = "attachment; filename=\"\(tenant.fileLabel).sqlite.gz\""
        headers[.cacheControl] = "no-store"
        headers[Self.checksumHeader] = record.sha256
        return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: record.bytes) { writer in
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 18), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        })
    }

    /// Creates a shop from its file: the gzip body with `X-Content-SHA256` (from another node's
    /// export), or JSON naming a standby's backup folder. The file is checked like a restore; a shop
    /// this node already holds is refused.
    @Sendable func importShop(_ request: Request, context: PlatformRequestContext) async throws -> EditedResponse<Envelope<ImportDTO>> {
        if let type = request.headers[.contentType], Request.isJSON(type) {
            let input = try await request.decodeJSON(as: ImportFromBackupRequest.self, context: context)
            guard FolderName.isPlain(input.folder) else { throw DomainError.invalid("folder", "must be one folder name inside the backup folder") }
            guard FolderName.isPlain(input.shop) else { throw DomainError.invalid("shop", "must be a shop's subdomain or id") }
            let result = try await withoutPaths {
                try await backups.importNewest(labelled: input.shop.lowercased(), from: backupsDirectory + "/" + input.folder)
            }
            return EditedResponse(status: .created, response: Envelope(ImportDTO(
                tenant: TenantDTO(result.tenant), sha256: result.backup.sha256, bytes: result.backup.bytes, backupTakenAt: result.backup.createdAt)))
        }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/gzip") == true else {
            throw APIError(status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE",
                           message: "Send the shop's file as application/gzip, or JSON naming a backup folder")
        }
        guard let expected = request.headers[Self.checksumHeader]?.lowercased(), expected.count == 64, expected.allSatisfy(\.isHexDigit) else {
            throw DomainError.invalid("X-Content-SHA256", "must be the file's SHA-256 in hex")
        }
        let staging = try stagingFolder("incoming")
        let file = staging + "/\(UUID().uuidString.lowercased()).sqlite.gz"
        defer {
            Self.remove(file)
            Self.remove(file + ".sha256")
        }
        let received = try await receive(request.body, into: file, limit: try room())
        guard received.sha256 == expected else {
            throw DomainError.invalid("X-Content-SHA256", "does not match the file received (\(received.sha256)): it was damaged on the way")
        }
        try Data("\(received.sha256)  \((file as NSString).lastPathComponent)\n".utf8)
            .write(to: URL(fileURLWithPath: file + ".sha256"), options: .atomic)
        let tenant = try await withoutPaths { try await backups.importShop(from: file, subdomain: nil) }
        return EditedResponse(status: .created, response: Envelope(ImportDTO(
            tenant: TenantDTO(tenant), sha256: received.sha256, bytes: received.bytes, backupTakenAt: nil)))
    }

    /// Runs `body`; a domain error leaves without the data and backup folders' names in its messages.
    private func withoutPaths<T>(_ body: () async throws -> T) async throws -> T {
        try await DomainError.hidingPaths(under: [dataDirectory, backupsDirectory], body)
    }

    /// Writes the body to `file`, hashing as it goes; stops with 413 past `limit` bytes.
    private func receive(_ body: RequestBody, into file: String, limit: Int64) async throws -> (sha256: String, bytes: Int) {
        guard FileManager.default.createFile(atPath: file, contents: nil), let handle = FileHandle(forWritingAtPath: file) else {
            throw DomainError.unavailable("Cannot stage the upload in the data folder")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        for try await buffer in body {
            bytes += Int64(buffer.readableBytes)
            guard bytes <= limit else {
                throw APIError(status: .contentTooLarge, code: "PAYLOAD_TOO_LARGE",
                               message: "The file does not fit on this node's disk (it must leave 1 GiB free)")
            }
            buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            try handle.write(contentsOf: buffer.readableBytesView)
        }
        try handle.synchronize()
        return (Hex.string(hasher.finalize()), Int(bytes))
    }

    /// What an upload may take: the data folder's free space less `reserveBytes`.
    private func room() throws -> Int64 {
        max(0, try PlatformNodeController.space(of: dataDirectory).free - Self.reserveBytes)
    }

    /// A hidden folder under `BACKUP_DIR` (same disk as the backups, outside their listing).
    private func stagingFolder(_ name: String) throws -> String {
        let folder = backupsDirectory + "/.\(name)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    private static func remove(_ file: String) {
        try? FileManager.default.removeItem(atPath: file)
    }
}

/// A single folder or file name a caller may give: no separators, no hidden or parent names.
enum FolderName {
    static func isPlain(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200 && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
    }
}
