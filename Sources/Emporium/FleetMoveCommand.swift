import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import Foundation

extension FleetCommand {
    /// The operator the fleet commands sign in to every node as (each node keeps its own operators).
    struct OperatorSignIn: ParsableArguments {
        @Option(help: "An operator's e-mail address, the same on every node.") var operatorEmail: String
        @Flag(help: "Read the operator's password from the first line of standard input.") var passwordStdin = false
        @Option(help: "The operator's password (prefer --password-stdin).") var password: String?

        func secret() throws -> String {
            try Output.password(password, fromStdin: passwordStdin)
        }

        /// A signed-in client for `node`.
        func session(_ node: FleetPlan.Node, password: String) async throws -> FleetSession {
            let client = FleetNodeClient(address: try FleetNodeAddress(node.url))
            return FleetSession(node: node.name, client: client, token: try await client.signIn(email: operatorEmail, password: password, code: nil))
        }
    }

    /// Where the proxy's maps are and how to reload it, for the commands that change a shop's node.
    struct ProxyReload: ParsableArguments {
        @Option(name: .customLong("maps"), help: "Folder of HAProxy's maps (as written by `fleet haproxy --out`); rewritten after the switch.")
        var mapDirectory: String?
        @Option(name: .customLong("reload"), help: "Shell command that reloads HAProxy after the maps change, e.g. 'systemctl reload haproxy'.")
        var reloadCommand: String?
    }

    /// `emporium fleet move`: a shop to another node while it keeps serving (docs/fleet.md).
    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a shop to another node online: freeze its writes, copy it, verify, switch the route, retire the source copy.")
        @OptionGroup var fleet: FleetFile
        @Argument(help: "The shop (subdomain or id).") var shop: String
        @Option(help: "The node to move it to.") var to: String
        @OptionGroup var signIn: OperatorSignIn
        @OptionGroup var proxy: ProxyReload
        @Option(help: "How long the source refuses writes at most (the move renews nothing: give it room).") var freezeSeconds = 900
        @Option(help: "Seconds to wait after the reload before deleting the source copy (old proxy workers finish their requests).")
        var retireAfter = 2

        func validate() throws {
            guard (1...ShopWriteFreeze.maximumSeconds).contains(freezeSeconds), (0...300).contains(retireAfter) else {
                throw ValidationError("--freeze-seconds must be 1…\(ShopWriteFreeze.maximumSeconds), --retire-after 0…300")
            }
        }

        func run() async throws {
            let plan = try FleetPlan.load(from: fleet.path)
            let route = try plan.move(shop, to: to)
            let password = try signIn.secret()
            let from = try await signIn.session(route.source, password: password)
            let into = try await signIn.session(route.target, password: password)
            let routes = FleetRouteSwitch(fleetPath: fleet.path, mapDirectory: proxy.mapDirectory, reloadCommand: proxy.reloadCommand)
            let report = try await ShopMove(shop: route.shop, from: from, into: into, freezeSeconds: freezeSeconds, retireAfter: .seconds(retireAfter),
                                            warn: Output.warn) {
                try routes.apply(route.next, replacing: plan)
            }.run()
            print(try Output.json(report))
        }
    }
}
