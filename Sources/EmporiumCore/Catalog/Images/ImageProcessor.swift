import Foundation

/// Decodes and resizes pictures. The core only states what it needs; the binary's implementation
/// is libvips (`EmporiumImaging`), and tests may stand in a fake. Both calls may be slow and are
/// async so an implementation can keep the work off the threads that serve requests; how many
/// run at once is the caller's business (`ProductImageService` queues them per shop).
public protocol ImageProcessor: Sendable {
    /// The picture's upright size and decoding cost, read from its header without decoding its
    /// pixels, so a decompression bomb is measured before it can cost memory. Throws `ImageProcessingError`.
    func inspect(_ data: Data, format: ImageFormat) async throws -> ImageHeader
    /// WebP copies at most each of `widths` pixels wide (never enlarged), upright, without
    /// metadata, in the order of `widths`, from one decode of the picture.
    func render(_ data: Data, format: ImageFormat, widths: [Int]) async throws -> [RenderedImage]
}

/// What a picture's header says about decoding it.
public struct ImageHeader: Sendable, Equatable {
    public var size: ImageSize
    /// Channels per pixel (1 grey, 3 RGB, 4 RGBA).
    public var bands: Int
    /// 1 for 8-bit samples, 2 for 16-bit.
    public var bytesPerSample: Int
    /// Adam7 PNG or progressive JPEG: the decoder needs the whole image at full size at once.
    public var interlaced: Bool

    public init(size: ImageSize, bands: Int = 3, bytesPerSample: Int = 1, interlaced: Bool = false) {
        self.size = size
        self.bands = bands
        self.bytesPerSample = bytesPerSample
        self.interlaced = interlaced
    }
}

public struct ImageSize: Sendable, Equatable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

public struct RenderedImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var data: Data

    public init(width: Int, height: Int, data: Data) {
        self.width = width
        self.height = height
        self.data = data
    }
}

/// The picture could not be decoded: truncated, corrupt, or not what its signature says.
public struct ImageProcessingError: Error, Sendable, Equatable {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }
}
