import EmporiumCore
import Foundation

/// Where a shop's pictures are served: `/<API_PREFIX>/media/<tenant id>/<image id>/<width>.webp`.
/// The shop is in the path, not in a header, because an `<img>` sends no `X-Tenant-ID`.
struct MediaLinks: Sendable {
    let base: String

    init(apiPrefix: String, tenant: Tenant) {
        self.base = "/\(apiPrefix)/media/\(tenant.id.lowercased)"
    }

    func url(_ image: ProductImage, width: Int) -> String {
        "\(base)/\(image.id.lowercased)/\(width).webp"
    }
}

/// An uploaded product picture: its largest rendition as `url`, every rendition in `srcset` form
/// for `<img srcset>`, and the upload's own size.
struct ImageDTO: Encodable, Sendable {
    struct Rendition: Encodable, Sendable {
        let width: Int
        let url: String
    }

    let id: String
    let alt: String
    let width: Int
    let height: Int
    let format: String
    let bytes: Int
    let position: Int
    let url: String
    let srcset: String
    let renditions: [Rendition]

    init(_ image: ProductImage, links: MediaLinks) {
        self.id = image.id.lowercased
        self.alt = image.alt
        self.width = image.width
        self.height = image.height
        self.format = image.format.rawValue
        self.bytes = image.bytes
        self.position = image.position
        self.renditions = image.widths.map { Rendition(width: $0, url: links.url(image, width: $0)) }
        self.url = renditions.last?.url ?? ""
        self.srcset = renditions.map { "\($0.url) \($0.width)w" }.joined(separator: ", ")
    }
}
