import Foundation

/// Where a new shop goes: the node holding the fewest shops, of those with room on disk; on a tie,
/// the one with the most free space, then by name (so the same reports always give the same node).
/// Standbys never take new shops. Counts come from the nodes themselves, which also know shops
/// created there outside the plan.
public enum FleetPlacement {
    /// What a node reports of itself (`GET /api/v1/platform/node`).
    public struct Report: Sendable, Equatable {
        public var shops: Int
        public var freeBytes: Int64

        public init(shops: Int, freeBytes: Int64) {
            self.shops = shops
            self.freeBytes = freeBytes
        }
    }

    /// A node with less free space than this takes no new shop (a shop's file, its WAL, backups
    /// and a restore's copy all need room).
    public static let minimumFreeBytes: Int64 = 1 << 30

    /// The node for a new shop, or an error naming why none qualifies. Nodes missing from
    /// `reports` (unreachable) are skipped.
    public static func choose(in plan: FleetPlan, reports: [String: Report], minimumFreeBytes: Int64 = minimumFreeBytes) throws -> String {
        let candidates = plan.nodes.filter { !$0.standby }.compactMap { node in reports[node.name].map { (node.name, $0) } }
        guard !candidates.isEmpty else { throw DomainError.unavailable("No active node of the fleet answered") }
        let roomy = candidates.filter { $0.1.freeBytes >= minimumFreeBytes }
        guard let best = roomy.min(by: { lhs, rhs in
            if lhs.1.shops != rhs.1.shops { return lhs.1.shops < rhs.1.shops }
            if lhs.1.freeBytes != rhs.1.freeBytes { return lhs.1.freeBytes > rhs.1.freeBytes }
            return lhs.0 < rhs.0
        }) else {
            throw DomainError.unavailable("Every active node has less than \(minimumFreeBytes >> 20) MiB free")
        }
        return best.0
    }
}
