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

        func run() async throws {
            let started = ContinuousClock.now
            let plan = try FleetPlan.load(from: fleet.path)
            let standby = try NodeFailover.standby(in: plan, for: node, named: to)
            let session = try await signIn.session(standby, password: try signIn.secret())
            let routes = FleetRouteSwitch(fleetPath: fleet.path, mapDirectory: proxy.mapDirectory, reloadCommand: proxy.reloadCommand)
            let report = try await NodeFailover(plan: plan, lostNode: node, standby: session, folder: folder, startedAt: started) { next, previous in
                try routes.apply(next, replacing: previous)
            }.run()
            print(try Output.json(report))
            for failure in report.failed {
                Output.warn("\(failure.shop) was not brought up: \(failure.error)")
            }
            if !report.failed.isEmpty { throw ExitCode(1) }
        }
    }
}
