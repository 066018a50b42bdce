import Foundation

/// A lost node's shops brought up on the standby from the backups the node shipped there
/// (`BACKUP_SHIP_TO`), then routed to the standby in one switch. A shop whose newest backup is
/// missing or names another shop is reported and stays routed to the lost node; the others move.
public struct NodeFailover: Sendable {
    public struct Report: Encodable, Sendable, Equatable {
        public struct Restored: Encodable, Sendable, Equatable {
            public let shop: String
            public let backupTakenAt: Date?
            /// How much was lost: the time from the backup to the failover.
            public let dataAgeSeconds: Int?
        }
        public struct Failed: Encodable, Sendable, Equatable {
            public let shop: String
            public let error: String
        }
        public let node: String
        public let standby: String
        public let restored: [Restored]
        public let failed: [Failed]
        /// From `startedAt` (the command's start, signing in included) to the proxy routing the
        /// shops to the standby.
        public let recoveryMilliseconds: Int
    }

    let plan: FleetPlan
    let lostNode: String
    let standby: FleetSession
    /// The folder inside the standby's `BACKUP_DIR` that holds the lost node's backups.
    let folder: String
    let now: @Sendable () -> Date
    /// Where the recovery time is counted from.
    let startedAt: ContinuousClock.Instant
    /// Writes the changed plan and reloads the proxy (`FleetRouteSwitch.apply`).
    let switchRoutes: @Sendable (_ next: FleetPlan, _ previous: FleetPlan) throws -> Void

    public init(plan: FleetPlan, lostNode: String, standby: FleetSession, folder: String? = nil, startedAt: ContinuousClock.Instant = .now,
                now: @escaping @Sendable () -> Date = { Date() },
                switchRoutes: @escaping @Sendable (FleetPlan, FleetPlan) throws -> Void) {
        (self.plan, self.lostNode, self.standby, self.folder) = (plan, lostNode, standby, folder ?? lostNode)
        (self.startedAt, self.now, self.switchRoutes) = (startedAt, now, switchRoutes)
    }

    /// Which node takes a lost node's shops: the one named, else the fleet's standby.
    public static func standby(in plan: FleetPlan, for lostNode: String, named: String?) throws -> FleetPlan.Node {
        guard plan.nodes.contains(where: { $0.name == lostNode }) else { throw DomainError.notFound("The fleet has no node '\(lostNode)'") }
        guard let standby = named.map({ name in plan.nodes.first { $0.name == name } }) ?? plan.nodes.first(where: { $0.standby && $0.name != lostNode })
        else {
            throw DomainError.notFound(named.map { "The fleet has no node '\($0)'" } ?? "The fleet has no standby node: name one with --to")
        }
        guard standby.name != lostNode else { throw DomainError.conflict("The standby cannot be the lost node") }
        return standby
    }

    public func run() async throws -> Report {
        var next = plan
        var restored: [Report.Restored] = []
        var failed: [Report.Failed] = []
        for (index, shop) in plan.shops.enumerated() where shop.node == lostNode {
            do {
                let copy = try await standby.client.importBackup(token: standby.token, folder: folder, label: shop.subdomain)
                guard copy.shop.id == shop.id else {
                    throw DomainError.conflict("the newest backup named \(shop.subdomain) holds shop \(copy.shop.id.uuidString.lowercased())")
                }
                next.shops[index].node = standby.node
                let age = copy.backupTakenAt.map { max(0, Int(now().timeIntervalSince($0).rounded())) }
                restored.append(.init(shop: shop.subdomain, backupTakenAt: copy.backupTakenAt, dataAgeSeconds: age))
            } catch {
                failed.append(.init(shop: shop.subdomain, error: "\(error)"))
            }
        }
        if !restored.isEmpty {
            try switchRoutes(next, plan)
        }
        return Report(node: lostNode, standby: standby.node, restored: restored, failed: failed,
                      recoveryMilliseconds: ShopMove.milliseconds(ContinuousClock.now - startedAt))
    }
}
