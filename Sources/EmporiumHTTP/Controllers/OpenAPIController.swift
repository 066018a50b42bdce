import Foundation
import Hummingbird

/// `GET /openapi.json`: the OpenAPI 3.1 document kept in `Sources/EmporiumHTTP/OpenAPI/` and
/// compiled into the binary. Tests hold every registered route to it.
struct OpenAPIController {
    static let document = ByteBuffer(bytes: PackageResources.openapi_json)

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: Self.document)
            )
        }
    }
}
