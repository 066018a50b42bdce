import Foundation

/// Decodes and resizes pictures. The core only states what it needs; the binary's implementation
/// is libvips (`EmporiumImaging`), and tests may stand in a fake. Both calls may be slow and are
/// async so an implementation can keep the work off the threads that serve requests.
public protocol ImageProcessor: Sendable {
    /// The picture's upright size, read from its header without decoding its pixels, so a
    /// decompression bomb is measured before it can cost memory. Throws `ImageProcessingError`.
    func inspect(_ data: Data, format: ImageFormat) async throws -> ImageSize
    /// A WebP copy at most `width` pixels wide (never enlarged), upright, without metadata.
    func render(_ data: Data, format: ImageFormat, width: Int) async throws -> RenderedImage
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
