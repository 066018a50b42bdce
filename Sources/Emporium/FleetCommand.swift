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
            var plan = try FleetPlan.load(from: fleet.path)
            let label = try HostnameRules.normalizeSubdomain(subdomain)
            guard !plan.shops.contains(where: { $0.subdomain == label }) else {
                throw DomainError.conflict("The fleet already has a shop '\(label)'")
            }
            let host = try domain.map(HostnameRules.normalizeDomain)
            if let host, plan.shops.contains(where: { $0.domain == host }) {
                throw DomainError.conflict("The fleet already has a shop at '\(host)'")
            }
            let secret = try signIn.secret()
            var reports: [String: FleetPlacement.Report] = [:]
            var sessions: [String: FleetSession] = [:]
            for node in plan.nodes where !node.standby {
                do {
                    let session = try await signIn.session(node, password: secret)
                    reports[node.name] = try await session.client.report(token: session.token)
                    sessions[node.name] = session
                } catch {
                    FileHandle.standardError.write(Data("emporium: node \(node.name) skipped: \(error)\n".utf8))
                }
            }
            let chosen = try FleetPlacement.choose(in: plan, reports: reports)
            guard let session = sessions[chosen] else { throw DomainError.unavailable("Node \(chosen) has no session") }
            var shop = try await session.client.createShop(token: session.token, name: name, subdomain: label, domain: host)
            shop.node = chosen
            plan.shops.append(shop)
            do {
                try plan.save(to: fleet.path)
            } catch {
                throw DomainError.unavailable("Shop \(shop.id.uuidString.lowercased()) was created on \(chosen) but the fleet file was not written "
                                              + "(\(error)); add it by hand before rendering the proxy's maps")
            }
            print(try Output.json(shop))
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
