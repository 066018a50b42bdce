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
            return FleetSession(node: node.name, client: client, token: try await client.signIn(email: operatorEmail, password: password))
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

        func run() async throws {
            let plan = try FleetPlan.load(from: fleet.path)
            guard let index = plan.shops.firstIndex(where: { $0.subdomain == shop.lowercased() || $0.id.uuidString.lowercased() == shop.lowercased() })
            else { throw DomainError.notFound("The fleet has no shop '\(shop)'") }
            let moving = plan.shops[index]
            guard let target = plan.nodes.first(where: { $0.name == to }) else { throw DomainError.notFound("The fleet has no node '\(to)'") }
            guard target.name != moving.node else { throw DomainError.conflict("\(moving.subdomain) is already on \(to)") }
            guard let source = plan.nodes.first(where: { $0.name == moving.node }) else { throw DomainError.notFound("No node '\(moving.node)'") }
            guard (1...ShopWriteFreeze.maximumSeconds).contains(freezeSeconds), (0...300).contains(retireAfter) else {
                throw ValidationError("--freeze-seconds must be 1…\(ShopWriteFreeze.maximumSeconds), --retire-after 0…300")
            }
            let password = try signIn.secret()
            let from = try await signIn.session(source, password: password)
            let into = try await signIn.session(target, password: password)
            var next = plan
            next.shops[index].node = target.name
            let report = try await ShopMove(shop: moving, from: from, into: into, freezeSeconds: freezeSeconds, retireAfter: retireAfter) {
                try FleetRouteSwitch(fleetPath: fleet.path, mapDirectory: proxy.mapDirectory, reloadCommand: proxy.reloadCommand)
                    .apply(next, replacing: plan)
            }.run()
            print(try Output.json(report))
        }
    }
}

/// A node the command has signed in to.
struct FleetSession: Sendable {
    let node: String
    let client: FleetNodeClient
    let token: String
}

/// The steps of moving one shop, each timed. Until the route is switched every failure puts things
/// back — the source's freeze lifted, the target's copy deleted — so the shop is served from the
/// source as before. After the switch the source copy stays frozen until it is deleted: a write
/// that still reached it would be lost.
struct ShopMove {
    struct Report: Encodable {
        let shop: String
        let from: String
        let to: String
        let bytes: Int
        let sha256: String
        /// From the freeze to the switched route: how long the shop refused writes.
        let writePauseMilliseconds: Int
        let stepsMilliseconds: [String: Int]
        let sourceCopyRetired: Bool
    }

    let shop: FleetPlan.Shop
    let from: FleetSession
    let into: FleetSession
    let freezeSeconds: Int
    let retireAfter: Int
    let switchRoute: () throws -> Void

    func run() async throws -> Report {
        let clock = ContinuousClock()
        var steps: [String: Int] = [:]
        func timed<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
            let start = clock.now
            defer { steps[name] = Self.milliseconds(clock.now - start) }
            return try await body()
        }
        let file = FileManager.default.temporaryDirectory.path + "/emporium-move-\(shop.id.uuidString.lowercased())-\(UUID().uuidString.prefix(8)).sqlite.gz"
        defer { try? FileManager.default.removeItem(atPath: file) }

        let frozenAt = clock.now
        _ = try await timed("freeze") { try await from.client.freeze(token: from.token, shop: shop.id, seconds: freezeSeconds) }
        var imported = false
        let exported: FleetNodeClient.ExportedFile
        do {
            exported = try await timed("export") { try await from.client.export(token: from.token, shop: shop.id, to: file) }
            guard exported.announcedSHA256 == exported.sha256 else {
                throw DomainError.unavailable("The export arrived damaged: SHA-256 \(exported.sha256), the node sent \(exported.announcedSHA256 ?? "none")")
            }
            let copy = try await timed("import") { try await into.client.importShop(token: into.token, file: file, sha256: exported.sha256) }
            imported = true
            guard copy.sha256 == exported.sha256, copy.shop.id == shop.id else {
                throw DomainError.unavailable("\(into.node) holds a different file (SHA-256 \(copy.sha256)) than \(from.node) sent (\(exported.sha256))")
            }
            guard let until = try await from.client.frozenUntil(token: from.token, shop: shop.id), until.timeIntervalSinceNow > 30 else {
                throw DomainError.unavailable("The freeze on \(from.node) ended before the copy was done (was the node restarted?); writes may have gone on there")
            }
            try await timed("switch") { try switchRoute() }
        } catch {
            if imported { try? await into.client.deleteShop(token: into.token, shop: shop.id) }
            try? await from.client.thaw(token: from.token, shop: shop.id)
            throw DomainError.unavailable("Moving \(shop.subdomain) failed, it is still served from \(from.node): \(error)")
        }
        let pause = Self.milliseconds(clock.now - frozenAt)
        var retired = true
        do {
            try await timed("retire") {
                try await Task.sleep(for: .seconds(retireAfter))
                try await from.client.deleteShop(token: from.token, shop: shop.id)
            }
        } catch {
            retired = false
            FileHandle.standardError.write(Data("emporium: \(shop.subdomain) now lives on \(into.node), but its old copy on \(from.node) was not deleted (\(error)); delete it there by hand\n".utf8))
        }
        return Report(shop: shop.subdomain, from: from.node, to: into.node, bytes: exported.bytes, sha256: exported.sha256,
                      writePauseMilliseconds: pause, stepsMilliseconds: steps, sourceCopyRetired: retired)
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
