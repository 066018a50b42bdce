import CVips
import EmporiumCore
import Foundation

/// `ImageProcessor` on libvips. Every call runs on one serial queue of its own: resizing a photo
/// takes a core for a fraction of a second, and one process serves every shop on the box, so
/// uploads wait for each other rather than for the threads that answer requests.
public final class VipsImageProcessor: ImageProcessor {
    /// WebP quality of the renditions: visually lossless for product photos at a third of JPEG's size.
    static let quality: Int32 = 80
    private let queue = DispatchQueue(label: "emporium.images", qos: .utility)

    public init() {}

    /// libvips is started once per process.
    private static let started: Bool = emporium_vips_start() == 0

    public func inspect(_ data: Data, format: ImageFormat) async throws -> ImageSize {
        try await run {
            var width: Int32 = 0, height: Int32 = 0
            let status = data.withUnsafeBytes { raw in emporium_vips_inspect(raw.baseAddress, raw.count, &width, &height) }
            guard status == 0 else { throw Self.lastError() }
            return ImageSize(width: Int(width), height: Int(height))
        }
    }

    public func render(_ data: Data, format: ImageFormat, width: Int) async throws -> RenderedImage {
        guard let target = Int32(exactly: width), target >= 1 else { throw ImageProcessingError("width \(width) out of range") }
        return try await run {
            var output: UnsafeMutableRawPointer?
            var length = 0
            var outWidth: Int32 = 0, outHeight: Int32 = 0
            let status = data.withUnsafeBytes { raw in
                emporium_vips_render(raw.baseAddress, raw.count, target, Self.quality, &output, &length, &outWidth, &outHeight)
            }
            defer { if let output { emporium_vips_free(output) } }
            guard status == 0, let output, length > 0 else { throw Self.lastError() }
            return RenderedImage(width: Int(outWidth), height: Int(outHeight), data: Data(bytes: output, count: length))
        }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard Self.started else { throw DomainError.unavailable("Images cannot be processed: libvips did not start on this server") }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// libvips's error, first line only (its later lines name internal buffers).
    private static func lastError() -> ImageProcessingError {
        var buffer = [CChar](repeating: 0, count: 512)
        emporium_vips_take_error(&buffer, buffer.count)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let first = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return ImageProcessingError(first.isEmpty ? "not a valid picture" : first)
    }
}
