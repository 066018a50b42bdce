import EmporiumCore
import EmporiumObservability
import Foundation
import Hummingbird

/// `GET /platform/node`: what a fleet's placement (`emporium fleet place`) asks of each appliance —
/// how many shops it holds and how much room its data folder has left. Operators only; the box's
/// paths never appear.
struct PlatformNodeController {
    let tenants: TenantService
    let dataDirectory: String

    func addRoutes(to group: RouterGroup<PlatformRequestContext>) {
        group.get("node", use: show)
    }

    @Sendable func show(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<NodeDTO> {
        let shops = try await tenants.list(status: nil, page: Page(page: 1, limit: 1)).total
        let space = try Self.space(of: dataDirectory)
        return Envelope(NodeDTO(shops: shops, freeBytes: space.free, totalBytes: space.total, version: BuildInfo.version))
    }

    /// Free (for this user) and total bytes of the file system holding `folder`.
    static func space(of folder: String) throws -> (free: Int64, total: Int64) {
        var stats = statvfs()
        guard statvfs(folder, &stats) == 0 else { throw DomainError.unavailable("Cannot read the data folder's free space") }
        return (bytes(blocks: UInt64(stats.f_bavail), of: UInt64(stats.f_frsize)), bytes(blocks: UInt64(stats.f_blocks), of: UInt64(stats.f_frsize)))
    }

    /// Blocks × block size, held within Int64 (a file system reporting nonsense cannot trap).
    static func bytes(blocks: UInt64, of size: UInt64) -> Int64 {
        let (product, overflow) = blocks.multipliedReportingOverflow(by: size)
        return overflow ? Int64.max : Int64(clamping: product)
    }
}

struct NodeDTO: Codable, Sendable {
    let shops: Int
    let freeBytes: Int64
    let totalBytes: Int64
    let version: String
}
