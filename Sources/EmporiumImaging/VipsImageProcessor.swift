import CVips
import EmporiumCore
import Foundation

/// `ImageProcessor` on libvips. Every call runs on a dispatch thread, never on Swift's task
/// threads: resizing a photo takes a core for a fraction of a second. How many run at once, and
/// in which order between shops, is the caller's (`ProductImageService`'s `FairWorkQueue`).
public final class VipsImageProcessor: ImageProcessor {
    /// WebP quality of the renditions: visually lossless for product photos at a third of JPEG's size.
    static let quality: Int32 = 80
    private static let queue = DispatchQueue(label: "emporium.images", qos: .utility, attributes: .concurrent)
    /// libvips keeps one error buffer for the process: a call and the error text it reads are one unit.
    private static let errors = NSLock()

    public init() {}

    /// libvips is started once per process.
    private static let started: Bool = emporium_vips_start() == 0

    public func inspect(_ data: Data, format: ImageFormat) async throws -> ImageHeader {
        try await run {
            var width: Int32 = 0, height: Int32 = 0, bands: Int32 = 0, bytesPerSample: Int32 = 0, interlaced: Int32 = 0
            try Self.checked {
                data.withUnsafeBytes { raw in
                    emporium_vips_inspect(raw.baseAddress, raw.count, &width, &height, &bands, &bytesPerSample, &interlaced)
                }
            }
            return ImageHeader(size: ImageSize(width: Int(width), height: Int(height)), bands: Int(bands),
                               bytesPerSample: Int(bytesPerSample), interlaced: interlaced != 0)
        }
    }

    public func render(_ data: Data, format: ImageFormat, widths: [Int]) async throws -> [RenderedImage] {
        let targets = try widths.map { width in
            guard let target = Int32(exactly: width), target >= 1 else { throw ImageProcessingError("width \(width) out of range") }
            return target
        }
        guard let largest = targets.max() else { return [] }
        return try await run {
            var decoded: UnsafeMutablePointer<VipsImage>?
            try Self.checked {
                decoded = data.withUnsafeBytes { raw in emporium_vips_decode(raw.baseAddress, raw.count, largest) }
                return decoded == nil ? -1 : 0
            }
            guard let decoded else { throw ImageProcessingError("not a valid picture") }
            defer { emporium_vips_release(decoded) }
            return try targets.map { target in
                var output: UnsafeMutableRawPointer?
                var length = 0
                var outWidth: Int32 = 0, outHeight: Int32 = 0
                try Self.checked {
                    emporium_vips_encode(decoded, target, Self.quality, &output, &length, &outWidth, &outHeight)
                }
                defer { if let output { emporium_vips_free(output) } }
                guard let output, length > 0 else { throw ImageProcessingError("the copy is empty") }
                return RenderedImage(width: Int(outWidth), height: Int(outHeight), data: Data(bytes: output, count: length))
            }
        }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard Self.started else { throw DomainError.unavailable("Images cannot be processed: libvips did not start on this server") }
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Runs one libvips call; a non-zero status throws its error text, read before another call
    /// can replace it.
    private static func checked(_ call: () -> Int32) throws {
        errors.lock()
        defer { errors.unlock() }
        guard call() != 0 else { return }
        throw lastError()
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
