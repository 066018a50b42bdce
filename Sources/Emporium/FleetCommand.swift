import ArgumentParser
import EmporiumCore
import EmporiumHTTP
import Foundation

/// `emporium fleet`: shops spread over several appliances behind HAProxy. The fleet file names the
/// nodes and which shop lives where; these commands read it, place new shops and write the proxy's
/// configuration. They run anywhere the nodes' platform API is reachable (an operator's machine or
/// the proxy's), not necessarily on a node.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Spread shops over several appliances behind HAProxy (docs/fleet.md).",
        subcommands: [Show.self, Place.self, Move.self, Failover.self, HAProxy.self]
    )

    struct FleetFile: ParsableArguments {
        @Option(name: .customLong("fleet"), help: "The fleet file (default: $FLEET_FILE, else /etc/emporium/fleet.json).")
        var path: String = ProcessInfo.processInfo.environment["FLEET_FILE"] ?? "/etc/emporium/fleet.json"
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the fleet's nodes and how many shops each holds.")
        @OptionGroup var fleet: FleetFile
        @Flag(help: "Print the whole plan as JSON.") var json = false

        func run() async throws {
            let plan = try FleetPlan.load(from: fleet.path)
            if json {
                print(try Output.json(plan))
                return
            }
            let counts = plan.shopCounts
            print(["NODE".padding(toLength: 16, withPad: " ", startingAt: 0), "SHOPS", "ROLE    ", "URL"].joined(separator: "  "))
            for node in plan.nodes {
                let role = node.standby ? "standby" : node.name == plan.platformNode ? "platform" : "shops"
                print([node.name.padding(toLength: 16, withPad: " ", startingAt: 0), String(counts[node.name] ?? 0).padding(toLength: 5, withPad: " ", startingAt: 0),
                       role.padding(toLength: 8, withPad: " ", startingAt: 0), node.url].joined(separator: "  "))
            }
            print("\(plan.shops.count) shop(s) on \(plan.nodes.count) node(s)")
        }
    }

    struct Place: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a shop on the node with the fewest shops (and room on disk), record it in the fleet file; prints it as JSON.")
        @OptionGroup var fleet: FleetFile
        @Option(help: "Shop name.") var name: String
        @Option(help: "DNS label the shop is reached by.") var subdomain: String
        @Option(help: "Custom domain, e.g. shop.example.com.") var domain: String?
        @OptionGroup var signIn: OperatorSignIn

        func run() async throws {
            let plan = try FleetPlan.load(from: fleet.path)
            let secret = try signIn.secret()
            let result = try await ShopPlacement(plan: plan, name: name, subdomain: subdomain, domain: domain, skip: { node, reason in
                Output.warn("node \(node) skipped: \(reason)")
            }) { node in
                try await signIn.session(node, password: secret)
            }.run()
            do {
                try result.plan.save(to: fleet.path)
            } catch {
                throw DomainError.unavailable("Shop \(result.shop.id.uuidString.lowercased()) was created on \(result.shop.node) but the fleet file was not written "
                                              + "(\(error)); add it by hand before rendering the proxy's maps")
            }
            print(try Output.json(result.shop))
        }
    }

    struct HAProxy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "haproxy",
            abstract: "Write HAProxy's configuration and maps for the fleet; then `systemctl reload haproxy` (no connection is dropped).")
        @OptionGroup var fleet: FleetFile
        @Option(help: "Folder to write emporium.cfg and the two maps into.") var out = "/etc/haproxy"
        @Option(help: "Folder HAProxy reads the maps from (default: --out).") var mapDirectory: String?
        @Option(help: "What the frontend listens on.") var bind = ":80"

        func run() async throws {
            let plan = try FleetPlan.load(from: fleet.path)
            let rendered = HAProxyConfig(plan: plan, bind: bind, mapDirectory: mapDirectory ?? out)
            // Maps first: the configuration names them, and a reload must find both.
            for (name, text) in rendered.maps + [("emporium.cfg", rendered.configuration)] {
                try AtomicFile.write(Data(text.utf8), to: "\(out)/\(name)")
                print("wrote \(out)/\(name)")
            }
        }
    }
}
