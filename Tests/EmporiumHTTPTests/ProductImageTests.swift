import EmporiumCore
import EmporiumHTTP
import EmporiumImaging
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A picture from `Tests/Support/images` (made once with Pillow; see the browser test for their use too).
func testPicture(_ name: String) throws -> Data {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Support/images")
    return try Data(contentsOf: folder.appendingPathComponent(name))
}

/// libvips, counting what it is asked to do: a picture refused from its header must never be decoded.
final class CountingImageProcessor: ImageProcessor {
    let vips = VipsImageProcessor()
    let renders = Mutex(0)

    func inspect(_ data: Data, format: ImageFormat) async throws -> ImageHeader {
        try await vips.inspect(data, format: format)
    }

    func render(_ data: Data, format: ImageFormat, widths: [Int]) async throws -> [RenderedImage] {
        renders.withLock { $0 += 1 }
        return try await vips.render(data, format: format, widths: widths)
    }
}

private struct Answer {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
    var code: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var message: String { ((json["error"] as? [String: Any])?["details"] as? [[String: Any]])?.first?["message"] as? String ?? "" }
}

private func upload(_ client: some TestClientProtocol, _ picture: Data, to product: UUID, token: String?, contentType: String = "image/jpeg",
                    query: String = "", tenant: String = "shop") async throws -> Answer {
    var headers: HTTPFields = [.contentType: contentType, HTTPField.Name("X-Tenant-ID")!: tenant]
    if let token { headers[.authorization] = "Bearer \(token)" }
    let response = try await client.execute(uri: "/api/v1/products/\(product.lowercased)/images\(query)", method: .post, headers: headers,
                                            body: ByteBuffer(bytes: picture))
    return Answer(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
}

private func fetch(_ client: some TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:],
                   body: String? = nil) async throws -> Answer {
    let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    return Answer(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
}

@Suite("Product images: upload, sniffing, limits, renditions, serving")
struct ProductImageTests {
    @Test func anUploadedPhotoIsServedUprightResizedAndWithoutItsCameraData() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let created = try await upload(client, try testPicture("photo-rotated.jpg"), to: product.id, token: owner, query: "?alt=Blue%20teapot")
            #expect(created.status == .created, "\(created.json)")
            let image = created.data
            // Stored 1200 × 800 with EXIF orientation 6: upright it is 800 × 1200, so no 1024 rendition.
            #expect(image["width"] as? Int == 800 && image["height"] as? Int == 1200)
            #expect(image["format"] as? String == "jpeg" && image["alt"] as? String == "Blue teapot" && image["position"] as? Int == 1)
            let renditions = image["renditions"] as? [[String: Any]] ?? []
            #expect(renditions.map { $0["width"] as? Int } == [160, 480, 800])
            let base = "/api/v1/media/\(shop.lowercased)/\(image["id"] as? String ?? "")"
            #expect(image["url"] as? String == "\(base)/800.webp")
            #expect(image["srcset"] as? String == "\(base)/160.webp 160w, \(base)/480.webp 480w, \(base)/800.webp 800w")

            // The product and the listing show it, to anyone.
            let shown = try await fetch(client, "/api/v1/products/\(product.id.lowercased)", headers: [HTTPField.Name("X-Tenant-ID")!: "shop"])
            #expect((shown.data["media"] as? [[String: Any]])?.first?["url"] as? String == "\(base)/800.webp")
            let listed = try await fetch(client, "/api/v1/products", headers: [HTTPField.Name("X-Tenant-ID")!: "shop"])
            let first = (listed.data["products"] as? [[String: Any]])?.first
            #expect((first?["media"] as? [[String: Any]])?.count == 1)

            // Served without a token or a shop header: WebP, cached for a year, revalidated by ETag.
            let served = try await fetch(client, "\(base)/480.webp")
            #expect(served.status == .ok)
            #expect(served.headers[.contentType] == "image/webp")
            #expect(served.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(served.body.prefix(4) == Data("RIFF".utf8) && served.body.subdata(in: 8..<12) == Data("WEBP".utf8))
            #expect(served.body.range(of: Data("EmporiumTestCamera".utf8)) == nil, "the camera's EXIF is stripped")
            let etag = try #require(served.headers[.eTag])
            let again = try await fetch(client, "\(base)/480.webp", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified && again.body.isEmpty)
            let other = try await fetch(client, "\(base)/480.webp", headers: [.ifNoneMatch: "\"something-else\""])
            #expect(other.status == .ok)

            for missing in ["\(base)/1024.webp", "\(base)/480.png", "\(base)/abc.webp", "\(base)/-1.webp", "\(base)/99999999999999999999.webp",
                            "/api/v1/media/\(shop.lowercased)/\(UUID().uuidString)/480.webp", "/api/v1/media/shop/\(image["id"] as? String ?? "")/480.webp",
                            "/api/v1/media/\(UUID().uuidString)/\(image["id"] as? String ?? "")/480.webp"] {
                #expect(try await fetch(client, missing).status == .notFound, "\(missing)")
            }

            let audit = try await app.deps.audit.list(in: shop, AuditFilter(action: "product.image_added"), page: Page(page: 1, limit: 10), by: .commandLine)
            #expect(audit.total == 1)
        }
    }

    @Test func pngAndWebPAreAcceptedAndNarrowPicturesAreNotEnlarged() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            // The declared type does not matter: the bytes decide.
            let badge = try await upload(client, try testPicture("badge.png"), to: product.id, token: owner, contentType: "application/octet-stream")
            #expect(badge.status == .created)
            #expect(badge.data["format"] as? String == "png")
            #expect((badge.data["renditions"] as? [[String: Any]])?.map { $0["width"] as? Int } == [160, 300])
            let leaf = try await upload(client, try testPicture("leaf.webp"), to: product.id, token: owner, contentType: "image/png")
            #expect(leaf.status == .created)
            #expect(leaf.data["format"] as? String == "webp" && leaf.data["position"] as? Int == 2)
            #expect((leaf.data["renditions"] as? [[String: Any]])?.map { $0["width"] as? Int } == [160, 480, 640])
        }
    }

    @Test(arguments: [
        ("tiny.gif", "image/gif", 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("script.svg", "image/png", 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("photo-rotated.jpg", "application/json", 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("photo-rotated.jpg", "multipart/form-data; boundary=x", 415, "UNSUPPORTED_MEDIA_TYPE"),
        ("truncated.jpg", "image/jpeg", 422, "VALIDATION_FAILED"),
        ("bomb.png", "image/png", 422, "VALIDATION_FAILED"),
    ])
    func whatIsNotAPictureOrTooBigToDecodeIsRefusedAndNothingIsStored(_ file: String, _ contentType: String, _ status: Int, _ code: String) async throws {
        let counting = CountingImageProcessor()
        let app = try TestApp.make(imageProcessor: counting)
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let answer = try await upload(client, try testPicture(file), to: product.id, token: owner, contentType: contentType)
            #expect(answer.status.code == status, "\(file): \(answer.json)")
            #expect(answer.code == code)
            if file == "bomb.png" {
                #expect(answer.message.contains("30000 × 30000"))
                #expect(counting.renders.withLock { $0 } == 0, "a bomb is refused from its header, never decoded")
            }
            let stored = try await app.deps.catalog.product(in: shop, reference: product.id.lowercased, includeHidden: true)
            #expect(stored.media.isEmpty)
        }
    }

    @Test func uploadsHaveTheirOwnSizeLimitAndOtherBodiesKeepTheirs() async throws {
        // The photo is 20,061 bytes: over MAX_BODY_BYTES, under IMAGE_MAX_BYTES — then over a smaller IMAGE_MAX_BYTES.
        let app = try TestApp.make(["MAX_BODY_BYTES": "4096", "IMAGE_MAX_BYTES": "65536"])
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            #expect(try await upload(client, try testPicture("photo-rotated.jpg"), to: product.id, token: owner).status == .created)
            let big = "{\"name\":\"\(String(repeating: "x", count: 20_000))\"}"
            let json = try await fetch(client, "/api/v1/products/\(product.id.lowercased)", method: .patch,
                                       headers: .json(token: owner, tenant: "shop"), body: big)
            #expect(json.status == .contentTooLarge)
        }
        let small = try TestApp.make(["IMAGE_MAX_BYTES": "8192"])
        let (smallShop, _) = try await small.commerceShop()
        let other = try await small.product(in: smallShop, sku: "POT")
        try await small.run { client in
            let owner = try await small.accessToken(client, "owner@example.com")
            let answer = try await upload(client, try testPicture("photo-rotated.jpg"), to: other.id, token: owner)
            #expect(answer.status == .contentTooLarge && answer.code == "PAYLOAD_TOO_LARGE")
        }
    }

    @Test func onlyStaffWhoEditProductsUploadAndOnlyToTheirOwnShop() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        let otherShop = try await app.shop("other")
        try await app.user("owner@other.example", role: .owner, in: otherShop)
        try await app.user("buyer@example.com", role: .customer, in: shop)
        try await app.run { client in
            let picture = try testPicture("badge.png")
            #expect(try await upload(client, picture, to: product.id, token: nil).status == .unauthorized)
            let buyer = try await app.accessToken(client, "buyer@example.com")
            #expect(try await upload(client, picture, to: product.id, token: buyer).status == .forbidden)
            let stranger = try await app.accessToken(client, "owner@other.example", in: "other")
            #expect(try await upload(client, picture, to: product.id, token: stranger, tenant: "other").status == .notFound)
            #expect(try await upload(client, picture, to: UUID(), token: try await app.accessToken(client, "owner@example.com")).status == .notFound)

            // The other shop's id in a media URL finds nothing of this shop.
            let owner = try await app.accessToken(client, "owner@example.com")
            let image = try await upload(client, picture, to: product.id, token: owner).data
            let id = image["id"] as? String ?? ""
            #expect(try await fetch(client, "/api/v1/media/\(shop.lowercased)/\(id)/160.webp").status == .ok)
            #expect(try await fetch(client, "/api/v1/media/\(otherShop.lowercased)/\(id)/160.webp").status == .notFound)
            // A suspended shop serves nothing.
            _ = try await app.deps.tenants.setStatus(shop.lowercased, to: .suspended)
            #expect(try await fetch(client, "/api/v1/media/\(shop.lowercased)/\(id)/160.webp").status == .notFound)
        }
    }

    @Test func imagesAreDescribedReorderedRemovedAndGoWithTheirProduct() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let headers = HTTPFields.json(token: owner, tenant: "shop")
            var ids: [String] = []
            for file in ["badge.png", "leaf.webp", "photo-rotated.jpg"] {
                ids.append(try await upload(client, try testPicture(file), to: product.id, token: owner).data["id"] as? String ?? "")
            }
            let path = "/api/v1/products/\(product.id.lowercased)/images"
            let moved = try await fetch(client, "\(path)/\(ids[2])", method: .patch, headers: headers, body: #"{"position":1,"alt":"Front"}"#)
            #expect(moved.status == .ok && moved.data["position"] as? Int == 1 && moved.data["alt"] as? String == "Front")
            var media = try await app.deps.catalog.product(in: shop, reference: product.id.lowercased, includeHidden: true).media
            #expect(media.map(\.id.lowercased) == [ids[2], ids[0], ids[1]] && media.map(\.position) == [1, 2, 3])
            // Past the end means last; nonsense is refused.
            #expect(try await fetch(client, "\(path)/\(ids[2])", method: .patch, headers: headers, body: #"{"position":9223372036854775807}"#).status == .ok)
            for body in [#"{"position":0}"#, #"{"position":-9223372036854775808}"#, #"{"alt":"two\nlines"}"#, "{\"alt\":\"\(String(repeating: "a", count: 251))\"}"] {
                #expect(try await fetch(client, "\(path)/\(ids[2])", method: .patch, headers: headers, body: body).status == .unprocessableContent, "\(body)")
            }
            #expect(try await fetch(client, "\(path)/\(UUID().uuidString)", method: .patch, headers: headers, body: #"{"alt":"x"}"#).status == .notFound)

            let removed = try await fetch(client, "\(path)/\(ids[0])", method: .delete, headers: headers)
            #expect(removed.status == .ok)
            media = try await app.deps.catalog.product(in: shop, reference: product.id.lowercased, includeHidden: true).media
            #expect(media.map(\.id.lowercased) == [ids[1], ids[2]] && media.map(\.position) == [1, 2])
            #expect(try await fetch(client, "/api/v1/media/\(shop.lowercased)/\(ids[0])/160.webp").status == .notFound)

            // A deleted product's pictures are no longer served.
            #expect(try await fetch(client, "/api/v1/media/\(shop.lowercased)/\(ids[1])/160.webp").status == .ok)
            try await app.deps.catalog.deleteProduct(in: shop, id: product.id.lowercased, by: .commandLine)
            #expect(try await fetch(client, "/api/v1/media/\(shop.lowercased)/\(ids[1])/160.webp").status == .notFound)
        }
    }

    @Test func aProductHoldsAtMostTwentyImages() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let picture = try testPicture("badge.png")
            for _ in 1...20 { #expect(try await upload(client, picture, to: product.id, token: owner).status == .created) }
            let refused = try await upload(client, picture, to: product.id, token: owner)
            #expect(refused.status == .conflict)
        }
    }

    @Test func aShopsBackupCarriesItsPicturesAndARestoreServesThemAgain() async throws {
        let app = try TestApp.make()
        let (shop, _) = try await app.commerceShop()
        let product = try await app.product(in: shop, sku: "POT")
        try await app.run { client in
            let owner = try await app.accessToken(client, "owner@example.com")
            let image = try await upload(client, try testPicture("leaf.webp"), to: product.id, token: owner).data
            let url = "/api/v1/media/\(shop.lowercased)/\(image["id"] as? String ?? "")/480.webp"
            let before = try await fetch(client, url)
            #expect(before.status == .ok)

            let operatorToken = try await app.operatorToken(client)
            let backup = try await client.execute(uri: "/api/v1/platform/tenants/shop/backups", method: .post, headers: .json(token: operatorToken))
            let file = try #require((try backup.json()["data"] as? [String: Any])?["file"] as? String)
            let path = "/api/v1/products/\(product.id.lowercased)/images/\(image["id"] as? String ?? "")"
            #expect(try await fetch(client, path, method: .delete, headers: .json(token: owner, tenant: "shop")).status == .ok)
            #expect(try await fetch(client, url).status == .notFound)

            let restored = try await client.execute(uri: "/api/v1/platform/tenants/shop/restore", method: .post, headers: .json(token: operatorToken),
                                                    body: ByteBuffer(string: #"{"file":"\#(file)"}"#))
            #expect(restored.status == .ok)
            let after = try await fetch(client, url)
            #expect(after.status == .ok && after.body == before.body && after.headers[.eTag] == before.headers[.eTag])
            let media = try await app.deps.catalog.product(in: shop, reference: product.id.lowercased, includeHidden: true).media
            #expect(media.map(\.id.lowercased) == [image["id"] as? String ?? ""])
        }
    }
}
