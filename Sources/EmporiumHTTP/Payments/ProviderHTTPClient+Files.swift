import Crypto
import EmporiumCore
import Foundation
import NIOCore
import NIOHTTP1

/// A shop's file between nodes (`emporium fleet move`): the same outbound client as a provider
/// call, but the body streams from or to a file in chunks, so a shop of gigabytes needs the memory
/// of one chunk, and the SHA-256 of what arrived is computed on the way.
extension ProviderHTTPClient {
    static let fileChunkBytes = 1 << 18

    /// What a download left: the answer's status and headers; on 200 the body is in the file, with
    /// its size and SHA-256; otherwise the (small) body is in `body` and the file is empty.
    struct Download: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        let bytes: Int
        let sha256: String
    }

    /// Sends `file` as the body of `request` (whose own body is ignored) and reads a small answer.
    func upload(_ request: PaymentHTTPRequest, file: String, timeout: TimeAmount) async throws -> PaymentHTTPResponse {
        let target = try OutboundURL(request.url)
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        guard let handle = FileHandle(forReadingAtPath: file) else { throw DomainError.notFound("Cannot read \(file)") }
        defer { try? handle.close() }
        return try await exchange(with: target, timeout: timeout) { outbound in
            try await outbound.write(.head(Self.head(for: request, target: target, contentLength: size)))
            while let chunk = try handle.read(upToCount: Self.fileChunkBytes), !chunk.isEmpty {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
            }
            try await outbound.write(.end(nil))
        } receive: { inbound in
            try await Self.collect(inbound)
        }
    }

    /// Sends `request` and writes a 200 answer's body to `file` (created or emptied first).
    func download(_ request: PaymentHTTPRequest, to file: String, timeout: TimeAmount) async throws -> Download {
        let target = try OutboundURL(request.url)
        guard FileManager.default.createFile(atPath: file, contents: nil), let handle = FileHandle(forWritingAtPath: file) else {
            throw DomainError.unavailable("Cannot write \(file)")
        }
        defer { try? handle.close() }
        return try await exchange(with: target, timeout: timeout) { outbound in
            try await outbound.write(.head(Self.head(for: request, target: target, contentLength: request.body.count)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: request.body))))
            try await outbound.write(.end(nil))
        } receive: { inbound in
            var head: HTTPResponseHead?
            var hasher = SHA256()
            var bytes = 0
            var small = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let received):
                    if received.status.code >= 200 { head = received }
                case .body(var chunk):
                    guard let head else { continue }
                    if head.status == .ok {
                        chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                        try handle.write(contentsOf: chunk.readableBytesView)
                        bytes += chunk.readableBytes
                    } else {
                        guard small.readableBytes + chunk.readableBytes <= Self.maximumResponseBytes else { throw ProviderHTTPError.answerTooLarge }
                        small.writeBuffer(&chunk)
                    }
                case .end:
                    guard let head else { continue }
                    if head.status == .ok { try handle.synchronize() }
                    var headers: [String: String] = [:]
                    for field in head.headers { headers[field.name.lowercased()] = field.value }
                    return Download(status: Int(head.status.code), headers: headers, body: Data(small.readableBytesView),
                                    bytes: bytes, sha256: Hex.string(hasher.finalize()))
                }
            }
            throw ProviderHTTPError.connectionClosedEarly
        }
    }
}
