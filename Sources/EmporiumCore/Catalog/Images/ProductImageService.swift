import Crypto
import Foundation

/// Staff add, describe, reorder and remove a product's pictures; anyone fetches their renditions.
/// An upload is sniffed (`ImageFormat`), measured from its header (`ImageRules.check`) and only
/// then decoded and resized, outside any transaction; the renditions and the product's list of
/// images are written together in one.
public struct ProductImageService: Sendable {
    let storage: any TenantStorage
    let cache: MemoryCache
    let processor: any ImageProcessor
    public let rules: ImageRules
    /// Decoding runs here: one picture at a time for the whole box, shops in turn, a few waiting per shop.
    let decoding: FairWorkQueue
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, cache: MemoryCache, processor: any ImageProcessor, rules: ImageRules,
                decoding: FairWorkQueue = FairWorkQueue(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.cache = cache
        self.processor = processor
        self.rules = rules
        self.decoding = decoding
        self.now = now
    }

    public func upload(in tenantID: UUID, productID: String, data: Data, alt: String?, by actor: Actor) async throws -> ProductImage {
        try actor.require(.productsWrite)
        guard data.count <= rules.maxBytes else { throw DomainError.invalid("image", "is \(data.count) bytes; at most \(rules.maxBytes)") }
        guard let format = ImageFormat.sniff(data) else { throw DomainError.invalid("image", "is not a JPEG, PNG or WebP picture") }
        let alt = try rules.alt(alt)
        // Refuse early what the transaction would refuse anyway, before spending a second on resizing.
        let limit = rules.maxImagesPerProduct
        _ = try await storage.read(tenantID) { tx in try Self.roomForAnother(tx, productID, limit: limit) }

        // The header is read and priced inside the shop's turn too: a refused picture then costs
        // no more than its header, and the turn's one decode is the whole of the picture's work.
        let (processor, rules) = (self.processor, self.rules)
        let (size, renditions) = try await decoding.run(for: tenantID) {
            let header: ImageHeader
            do {
                header = try await processor.inspect(data, format: format)
            } catch let error as ImageProcessingError {
                throw DomainError.invalid("image", "could not be read as \(format.rawValue.uppercased()): \(error.reason)")
            }
            try rules.check(header)
            return (header.size, try await Self.renditions(of: data, format: format, width: header.size.width, processor: processor))
        }
        let timestamp = now()
        let digest = Hex.string(SHA256.hash(data: data))
        return try await write(tenantID) { tx in
            let (product, images) = try Self.roomForAnother(tx, productID, limit: limit)
            let image = ProductImage(id: UUID(), alt: alt, width: size.width, height: size.height, format: format, bytes: data.count,
                                     position: (images.map(\.position).max() ?? 0) + 1, widths: renditions.map(\.width))
            try tx.images.insert(NewProductImage(productID: product.id, image: image, sha256: digest, renditions: renditions, createdAt: timestamp))
            try tx.images.refreshMedia(productID: product.id)
            try tx.audit.record(AuditEntry("product.image_added", on: "product", id: product.id.lowercased, by: actor,
                                           new: image.auditValues, at: timestamp))
            return image
        }
    }

    /// The WebP copies served of a picture `width` pixels wide, each with its ETag, from one decode.
    private static func renditions(of data: Data, format: ImageFormat, width: Int, processor: any ImageProcessor) async throws -> [ImageRendition] {
        let widths = ImageRules.widths(forOriginalWidth: width)
        let copies: [RenderedImage]
        do {
            copies = try await processor.render(data, format: format, widths: widths)
        } catch let error as ImageProcessingError {
            throw DomainError.invalid("image", "could not be decoded: \(error.reason)")
        }
        guard copies.count == widths.count else { throw DomainError.invalid("image", "could not be decoded at every size") }
        return zip(widths, copies).map { target, copy in
            ImageRendition(width: target, height: copy.height, mediaType: ImageFormat.webp.mediaType, data: copy.data,
                           etag: "\"\(Hex.string(SHA256.hash(data: copy.data)))\"")
        }
    }

    /// New alt text and/or a new place in the product's order (1 = first; past the end = last).
    public func update(in tenantID: UUID, productID: String, imageID: String, alt: String?, position: Int?, by actor: Actor) async throws -> ProductImage {
        try actor.require(.productsWrite)
        let alt = try alt.map { try rules.alt($0) }
        if let position, position < 1 { throw DomainError.invalid("position", "must be 1 or more") }
        let timestamp = now()
        return try await write(tenantID) { tx in
            let product = try CatalogService.product(tx, productID)
            var images = try tx.images.images(productID: product.id)
            guard let id = UUID(uuidString: imageID), let index = images.firstIndex(where: { $0.id == id }) else {
                throw DomainError.notFound("No image '\(imageID)' of this product")
            }
            let before = images[index]
            var edited = images.remove(at: index)
            if let alt { edited.alt = alt }
            images.insert(edited, at: min(max((position ?? before.position) - 1, 0), images.count))
            let placed = try Self.savePositions(images, tx, alwaysWriting: id)
            try tx.images.refreshMedia(productID: product.id)
            try tx.audit.record(AuditEntry("product.image_updated", on: "product", id: product.id.lowercased, by: actor,
                                           old: before.auditValues, new: edited.auditValues, at: timestamp))
            return placed.first { $0.id == id } ?? edited
        }
    }

    public func delete(in tenantID: UUID, productID: String, imageID: String, by actor: Actor) async throws {
        try actor.require(.productsWrite)
        let timestamp = now()
        try await write(tenantID) { tx in
            let product = try CatalogService.product(tx, productID)
            let images = try tx.images.images(productID: product.id)
            guard let id = UUID(uuidString: imageID), let image = images.first(where: { $0.id == id }) else {
                throw DomainError.notFound("No image '\(imageID)' of this product")
            }
            try tx.images.delete(id: image.id)
            _ = try Self.savePositions(images.filter { $0.id != id }, tx)
            try tx.images.refreshMedia(productID: product.id)
            try tx.audit.record(AuditEntry("product.image_deleted", on: "product", id: product.id.lowercased, by: actor,
                                           old: image.auditValues, at: timestamp))
        }
    }

    /// The bytes behind a media URL, from the in-memory cache once read (dropped with the shop's
    /// other cached catalog entries by any catalog write, a picture's removal included). Pictures
    /// of deleted products are gone; those of drafts are served to whoever holds the URL (its
    /// image id is random), as the admin panel needs.
    public func rendition(in tenantID: UUID, imageID: String, width: Int) async throws -> ImageRendition {
        guard let id = UUID(uuidString: imageID), width >= 1 else { throw DomainError.notFound("No such image") }
        let storage = self.storage
        return try await cache.fetch(ImageRendition.self, tenant: tenantID, key: "media:\(id.lowercased):\(width)", cost: { 256 + $0.data.count }) {
            guard let rendition = try await storage.read(tenantID, { tx in try tx.images.rendition(imageID: id, width: width) }) else {
                throw DomainError.notFound("No such image")
            }
            return rendition
        }
    }

    /// Numbers `images` 1…n in their order and writes those whose position changed (and the one
    /// `alwaysWriting` names, whose alt text may have). Returns them renumbered.
    private static func savePositions(_ images: [ProductImage], _ tx: any TenantTransaction, alwaysWriting edited: UUID? = nil) throws -> [ProductImage] {
        var placed = images
        for index in placed.indices where placed[index].id == edited || placed[index].position != index + 1 {
            placed[index].position = index + 1
            try tx.images.update(placed[index])
        }
        return placed
    }

    /// The product and its images, if it can take one more.
    private static func roomForAnother(_ tx: any TenantTransaction, _ productID: String, limit: Int) throws -> (Product, [ProductImage]) {
        let product = try CatalogService.product(tx, productID)
        let images = try tx.images.images(productID: product.id)
        guard images.count < limit else { throw DomainError.conflict("This product has \(images.count) images, the most it can have: remove one first") }
        return (product, images)
    }

    /// A write that changes what the catalog shows: the shop's cached listings go with it.
    private func write<T: Sendable>(_ tenantID: UUID, _ body: @escaping @Sendable (any TenantTransaction) throws -> T) async throws -> T {
        let result = try await storage.write(tenantID, body)
        cache.invalidate(tenant: tenantID)
        return result
    }
}
