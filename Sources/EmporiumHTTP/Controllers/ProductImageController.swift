import EmporiumCore
import Foundation
import Hummingbird
import HummingbirdCore

/// `POST /products/{id}/images` (the picture itself as the body), `PATCH` and `DELETE
/// /products/{id}/images/{imageId}`: staff with `products:write` manage a product's pictures.
struct ProductImageController {
    let images: ProductImageService
    let apiPrefix: String

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.post("products/{id}/images", use: upload)
            .patch("products/{id}/images/{imageId}", use: update)
            .delete("products/{id}/images/{imageId}", use: delete)
    }

    struct ImagePatchRequest: Decodable {
        let alt: String?
        let position: Int?
    }

    @Sendable func upload(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<ImageDTO>> {
        let actor = try context.require(.productsWrite)
        let contentType = request.headers[.contentType]
        guard let contentType, Self.isPictureUpload(contentType) else {
            throw APIError(status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE",
                           message: "Send the picture itself as the body, with Content-Type image/jpeg, image/png or image/webp"
                               + (contentType.map { ", not \($0)" } ?? ""))
        }
        let buffer = try await Request.collect(request.body, upTo: context.maxUploadSize)
        let data = Data(buffer.readableBytesView)
        guard ImageFormat.sniff(data) != nil else {
            throw APIError(status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE",
                           message: "The body is not a JPEG, PNG or WebP picture (told by its first bytes, whatever its name or Content-Type)")
        }
        let image = try await images.upload(in: context.tenant.id, productID: try context.parameters.require("id"), data: data,
                                            alt: request.uri.queryParameters["alt"].map(String.init), by: actor)
        return EditedResponse(status: .created, response: Envelope(ImageDTO(image, links: MediaLinks(apiPrefix: apiPrefix, tenant: context.tenant))))
    }

    @Sendable func update(_ request: Request, context: TenantRequestContext) async throws -> Envelope<ImageDTO> {
        let actor = try context.require(.productsWrite)
        let input = try await request.decodeJSON(as: ImagePatchRequest.self, context: context)
        let image = try await images.update(in: context.tenant.id, productID: try context.parameters.require("id"),
                                            imageID: try context.parameters.require("imageId"), alt: input.alt, position: input.position, by: actor)
        return Envelope(ImageDTO(image, links: MediaLinks(apiPrefix: apiPrefix, tenant: context.tenant)))
    }

    @Sendable func delete(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: String]> {
        let actor = try context.require(.productsWrite)
        let imageID = try context.parameters.require("imageId")
        try await images.delete(in: context.tenant.id, productID: try context.parameters.require("id"), imageID: imageID, by: actor)
        return Envelope(["id": imageID])
    }

    /// An image media type (which one does not matter: the bytes are sniffed) or a bare byte stream.
    /// A multipart form is refused: the body is the file itself.
    static func isPictureUpload(_ contentType: String) -> Bool {
        let mediaType = Request.mediaType(of: contentType)
        return mediaType.hasPrefix("image/") || mediaType == "application/octet-stream"
    }
}
