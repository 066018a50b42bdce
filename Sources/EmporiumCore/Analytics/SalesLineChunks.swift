import Foundation

/// A sales report's lines in chunks, each read from the shop's file only when the consumer asks
/// for it, in a short transaction of its own, after the last line of the chunk before (keyset).
/// Nothing is read ahead: a client that stops reading the report stops the reading too, so an
/// answer never piles up in memory behind a slow reader (a buffered stream read a 400k-line
/// report whole, ~105 MB per connection, while the client read 100 bytes).
public struct SalesLineChunks: AsyncSequence, Sendable {
    public typealias Element = [SalesLine]

    let storage: any TenantStorage
    let tenantID: UUID
    let range: AnalyticsPeriod
    let chunkSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(chunks: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let chunks: SalesLineChunks
        var cursor: SalesCursor?
        var finished = false

        public mutating func next() async throws -> [SalesLine]? {
            guard !finished else { return nil }
            try Task.checkCancellation()
            let (after, range, size) = (cursor, chunks.range, chunks.chunkSize)
            let chunk = try await chunks.storage.read(chunks.tenantID) { tx in
                try tx.sales.salesLines(from: range.start, to: range.end, after: after, limit: size)
            }
            finished = chunk.count < size
            cursor = chunk.last?.cursor
            return chunk.isEmpty ? nil : chunk
        }
    }
}
