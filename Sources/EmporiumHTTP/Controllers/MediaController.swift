import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /media/{tenantId}/{imageId}/{width}.webp`: a product picture's rendition, for `<img>`
/// tags (no token, no `X-Tenant-ID`: the shop is in the path). A rendition never changes under
/// its URL (a new upload gets a new image id), so it is cached for a year and revalidated by ETag.
struct MediaController {
    let images: ProductImageService
    let directory: TenantDirectory

    static let cacheControl = "public, max-age=31536000, immutable"

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("media/{tenantId}/{imageId}/{file}", use: rendition)
    }

    @Sendable func rendition(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = try context.parameters.require("file")
        guard let tenantID = UUID(uuidString: try context.parameters.require("tenantId")),
              let tenant = try await directory.resolve(reference: tenantID.uuidString), tenant.status == .active,
              file.hasSuffix(".webp"), let width = Int(file.dropLast(5)) else {
            throw DomainError.notFound("No such image")
        }
        let rendition = try await images.rendition(in: tenant.id, imageID: try context.parameters.require("imageId"), width: width)
        var headers: HTTPFields = [.eTag: rendition.etag, .cacheControl: Self.cacheControl]
        if let condition = request.headers[.ifNoneMatch],
           condition.split(separator: ",").contains(where: { $0.trimmed == rendition.etag || $0.trimmed == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = rendition.mediaType
        headers[.contentLength] = String(rendition.data.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: rendition.data)))
    }
}
