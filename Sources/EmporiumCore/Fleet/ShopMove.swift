import Foundation

/// The steps of moving one shop, each timed. Until the route is switched every failure puts things
/// back — the source's freeze lifted, the target's copy deleted — so the shop is served from the
/// source as before. After the switch the source copy stays frozen until it is deleted: a write
/// that still reached it would be lost.
public struct ShopMove: Sendable {
    public struct Report: Encodable, Sendable, Equatable {
        public let shop: String
        public let from: String
        public let to: String
        public let bytes: Int
        public let sha256: String
        /// From the freeze to the switched route: how long the shop refused writes.
        public let writePauseMilliseconds: Int
        public let stepsMilliseconds: [String: Int]
        public let sourceCopyRetired: Bool
    }

    let shop: FleetPlan.Shop
    let from: FleetSession
    let into: FleetSession
    let freezeSeconds: Int
    /// How long the source copy stays after the switch (old proxy workers finish their requests).
    let retireAfter: Duration
    /// Points the route at the target (`FleetRouteSwitch.apply`); a failure here still rolls back.
    let switchRoute: @Sendable () throws -> Void
    /// Where the export is kept between the two nodes.
    let scratchDirectory: String
    /// Told when the shop moved but its source copy could not be deleted.
    let warn: @Sendable (String) -> Void

    public init(shop: FleetPlan.Shop, from: FleetSession, into: FleetSession, freezeSeconds: Int, retireAfter: Duration,
                scratchDirectory: String = FileManager.default.temporaryDirectory.path, warn: @escaping @Sendable (String) -> Void,
                switchRoute: @escaping @Sendable () throws -> Void) {
        (self.shop, self.from, self.into, self.freezeSeconds, self.retireAfter) = (shop, from, into, freezeSeconds, retireAfter)
        (self.scratchDirectory, self.warn, self.switchRoute) = (scratchDirectory, warn, switchRoute)
    }

    public func run() async throws -> Report {
        let clock = ContinuousClock()
        var steps: [String: Int] = [:]
        func timed<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
            let start = clock.now
            defer { steps[name] = Self.milliseconds(clock.now - start) }
            return try await body()
        }
        let file = scratchDirectory + "/emporium-move-\(shop.id.uuidString.lowercased())-\(UUID().uuidString.prefix(8)).sqlite.gz"
        defer { try? FileManager.default.removeItem(atPath: file) }

        let frozenAt = clock.now
        _ = try await timed("freeze") { try await from.client.freeze(token: from.token, shop: shop.id, seconds: freezeSeconds) }
        var imported = false
        let exported: FleetExport
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
            // The freeze must outlast the switch by a margin: a source that thawed meanwhile may have taken writes.
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
                try await Task.sleep(for: retireAfter)
                try await from.client.deleteShop(token: from.token, shop: shop.id)
            }
        } catch {
            retired = false
            warn("\(shop.subdomain) now lives on \(into.node), but its old copy on \(from.node) was not deleted (\(error)); delete it there by hand")
        }
        return Report(shop: shop.subdomain, from: from.node, to: into.node, bytes: exported.bytes, sha256: exported.sha256,
                      writePauseMilliseconds: pause, stepsMilliseconds: steps, sourceCopyRetired: retired)
    }

    public static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension FleetPlan {
    /// A shop's move as the plan sees it: the shop, its source and target nodes, and the plan
    /// after the move.
    public struct Move: Sendable {
        public let shop: Shop
        public let source: Node
        public let target: Node
        public let next: FleetPlan
    }

    /// The move of `reference` (subdomain or id) to the node named `target`, checked against the plan.
    public func move(_ reference: String, to target: String) throws -> Move {
        let wanted = reference.lowercased()
        guard let index = shops.firstIndex(where: { $0.subdomain == wanted || $0.id.uuidString.lowercased() == wanted }) else {
            throw DomainError.notFound("The fleet has no shop '\(reference)'")
        }
        let shop = shops[index]
        guard let into = nodes.first(where: { $0.name == target }) else { throw DomainError.notFound("The fleet has no node '\(target)'") }
        guard into.name != shop.node else { throw DomainError.conflict("\(shop.subdomain) is already on \(target)") }
        guard let source = nodes.first(where: { $0.name == shop.node }) else { throw DomainError.notFound("No node '\(shop.node)'") }
        var next = self
        next.shops[index].node = into.name
        return Move(shop: shop, source: source, target: into, next: next)
    }
}
