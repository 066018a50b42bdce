import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import Foundation

extension FleetCommand {
    /// `emporium fleet failover`: a lost node's shops brought up on the standby from the backups it
    /// shipped there (`BACKUP_SHIP_TO`), then routed to the standby (docs/fleet.md).
    struct Failover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring a lost node's shops up on the standby from their last shipped backups and route them there; reports each shop's data age (RPO) and the time taken (RTO).")
        @OptionGroup var fleet: FleetFile
        @Argument(help: "The lost node.") var node: String
        @Option(help: "The node to bring the shops up on (default: the fleet's standby).") var to: String?
        @Option(help: "The folder inside the standby's BACKUP_DIR that holds the lost node's backups (default: the node's name).")
        var folder: String?
        @OptionGroup var signIn: OperatorSignIn
        @OptionGroup var proxy: ProxyReload

        struct Report: Encodable {
            struct Restored: Encodable {
                let shop: String
                let backupTakenAt: Date?
                /// How much was lost: the time from the backup to the failover.
                let dataAgeSeconds: Int?
            }
            struct Failed: Encodable {
                let shop: String
                let error: String
            }
            let node: String
            let standby: String
            let restored: [Restored]
            let failed: [Failed]
            /// From the command's start to the proxy routing the shops to the standby.
            let recoveryMilliseconds: Int
        }

        func run() async throws {
            let clock = ContinuousClock()
            let started = clock.now
            let plan = try FleetPlan.load(from: fleet.path)
            guard plan.nodes.contains(where: { $0.name == node }) else { throw DomainError.notFound("The fleet has no node '\(node)'") }
            guard let standby = to.map({ name in plan.nodes.first { $0.name == name } }) ?? plan.nodes.first(where: { $0.standby && $0.name != node }) else {
                throw DomainError.notFound(to.map { "The fleet has no node '\($0)'" } ?? "The fleet has no standby node: name one with --to")
            }
            guard standby.name != node else { throw DomainError.conflict("The standby cannot be the lost node") }
            let session = try await signIn.session(standby, password: try signIn.secret())
            var next = plan
            var restored: [Report.Restored] = []
            var failed: [Report.Failed] = []
            for (index, shop) in plan.shops.enumerated() where shop.node == node {
                do {
                    let copy = try await session.client.importBackup(token: session.token, folder: folder ?? node, label: shop.subdomain)
                    guard copy.shop.id == shop.id else {
                        throw DomainError.conflict("the newest backup named \(shop.subdomain) holds shop \(copy.shop.id.uuidString.lowercased())")
                    }
                    next.shops[index].node = standby.name
                    let age = copy.backupTakenAt.map { max(0, Int(Date().timeIntervalSince($0).rounded())) }
                    restored.append(.init(shop: shop.subdomain, backupTakenAt: copy.backupTakenAt, dataAgeSeconds: age))
                } catch {
                    failed.append(.init(shop: shop.subdomain, error: "\(error)"))
                }
            }
            if !restored.isEmpty {
                try FleetRouteSwitch(fleetPath: fleet.path, mapDirectory: proxy.mapDirectory, reloadCommand: proxy.reloadCommand)
                    .apply(next, replacing: plan)
            }
            print(try Output.json(Report(node: node, standby: standby.name, restored: restored, failed: failed,
                                         recoveryMilliseconds: ShopMove.milliseconds(clock.now - started))))
            for failure in failed {
                FileHandle.standardError.write(Data("emporium: \(failure.shop) was not brought up: \(failure.error)\n".utf8))
            }
            if !failed.isEmpty { throw ExitCode(1) }
        }
    }
}
