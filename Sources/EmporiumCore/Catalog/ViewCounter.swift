import Foundation
import Synchronization

/// Counts product page views in memory and hands them out in batches, so reading a product page
/// never writes to the database on the hot path. `OrderService`'s sibling `CatalogService.flushViews`
/// writes one transaction per shop every few seconds and at shutdown.
public final class ViewCounter: Sendable {
    private let counts = Mutex<[UUID: [UUID: Int]]>([:])

    public init() {}

    public func record(tenant: UUID, product: UUID) {
        counts.withLock { $0[tenant, default: [:]][product, default: 0] += 1 }
    }

    /// Everything counted so far, emptied.
    public func drain() -> [UUID: [UUID: Int]] {
        counts.withLock { counts in
            defer { counts = [:] }
            return counts
        }
    }

    /// Puts counts back after a failed flush, so no view is lost.
    public func restore(_ pending: [UUID: [UUID: Int]]) {
        counts.withLock { counts in
            for (tenant, products) in pending {
                for (product, count) in products { counts[tenant, default: [:]][product, default: 0] += count }
            }
        }
    }
}
