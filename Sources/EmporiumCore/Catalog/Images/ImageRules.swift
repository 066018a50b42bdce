import Foundation

/// What an upload must satisfy and which copies are made of it.
public struct ImageRules: Sendable, Equatable {
    /// Largest upload accepted (`IMAGE_MAX_BYTES`).
    public var maxBytes: Int
    /// Largest picture decoded: 40 megapixels (a 7,700 × 5,200 photo), about 120 MB of pixels at
    /// worst; a bomb claiming more is refused from its header.
    public var maxPixels = 40_000_000
    public var maxSide = 20_000
    /// Largest decoding cost accepted, in bytes (`decodeBytes`): 160 MB, an 8-bit RGBA picture
    /// of 40 megapixels decoded a strip at a time. An interlaced or 16-bit picture costs more per
    /// pixel, so fewer of its pixels are accepted: a 311 KB interlaced 16-bit PNG of 40 MP cost
    /// ~410 MB and 5 s to decode when only its pixel count was checked.
    public var maxDecodeBytes = 160_000_000
    public var maxImagesPerProduct = 20
    public var maxAltLength = 250
    /// The widths served: a thumbnail, a listing card, a product page. Narrower uploads are
    /// served at their own width instead of being enlarged.
    public static let standardWidths = [160, 480, 1024]

    public init(maxBytes: Int = 10_485_760) {
        self.maxBytes = maxBytes
    }

    /// The widths to render for a picture `width` pixels wide: each standard width below it,
    /// then the picture's own width capped at the largest standard one.
    public static func widths(forOriginalWidth width: Int) -> [Int] {
        guard let largest = standardWidths.last, width > 0 else { return [] }
        let top = min(width, largest)
        return standardWidths.filter { $0 < top } + [top]
    }

    /// What decoding a picture costs, from its header: pixels × bands × bytes per sample, twice
    /// that when it is interlaced (decoded whole at full size, then converted, before any
    /// shrinking), where a plain file is read and shrunk a strip at a time.
    public static func decodeBytes(_ header: ImageHeader) -> Int {
        let pixels = header.size.width.multipliedReportingOverflow(by: header.size.height)
        let perPixel = max(1, header.bands) * max(1, header.bytesPerSample) * (header.interlaced ? 2 : 1)
        let total = pixels.partialValue.multipliedReportingOverflow(by: perPixel)
        return pixels.overflow || total.overflow ? .max : total.partialValue
    }

    /// The size and cost limits, checked on the header before anything is decoded.
    public func check(_ header: ImageHeader) throws {
        try check(header.size)
        let cost = Self.decodeBytes(header)
        guard cost <= maxDecodeBytes else {
            let kind = [header.interlaced ? "interlaced" : nil, header.bytesPerSample > 1 ? "\(header.bytesPerSample * 8)-bit" : nil]
                .compactMap { $0 }.joined(separator: " ")
            throw DomainError.invalid("image", """
                is \(kind.isEmpty ? "" : "an \(kind) picture of ")\(header.size.width) × \(header.size.height) pixels, which would take \
                \(cost / 1_000_000) MB to decode; at most \(maxDecodeBytes / 1_000_000) MB (save it smaller, 8-bit or not interlaced)
                """)
        }
    }

    /// The size limits, checked on the header before anything is decoded.
    public func check(_ size: ImageSize) throws {
        guard size.width >= 1, size.height >= 1 else { throw DomainError.invalid("image", "has no pixels") }
        guard size.width <= maxSide, size.height <= maxSide else {
            throw DomainError.invalid("image", "is \(size.width) × \(size.height) pixels; each side must be at most \(maxSide)")
        }
        // Both sides are at most maxSide, so the product cannot overflow.
        guard size.width * size.height <= maxPixels else {
            throw DomainError.invalid("image", "is \(size.width) × \(size.height) pixels; at most \(maxPixels / 1_000_000) megapixels")
        }
    }

    public func alt(_ text: String?) throws -> String {
        let alt = (text ?? "").trimmed
        guard alt.count <= maxAltLength, !alt.contains(where: { $0.isNewline }) else {
            throw DomainError.invalid("alt", "must be one line of at most \(maxAltLength) characters")
        }
        return alt
    }
}
