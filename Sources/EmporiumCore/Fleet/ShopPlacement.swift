import Foundation

/// A new shop created on the node with the fewest shops and room on disk (`FleetPlacement`), then
/// recorded in the plan. Nodes that cannot be reached are skipped, each told to `skip` as it happens
/// (so an operator learns why even when no node is left to choose).
public struct ShopPlacement: Sendable {
    public struct Result: Sendable {
        public let plan: FleetPlan
        public let shop: FleetPlan.Shop
    }

    let plan: FleetPlan
    let name: String
    let subdomain: String
    let domain: String?
    /// Signs in to a node (`FleetNodeClient` over HTTP).
    let connect: @Sendable (FleetPlan.Node) async throws -> FleetSession
    /// Told each node left out of the choice, with why.
    let skip: @Sendable (_ node: String, _ reason: String) -> Void

    /// Checks the shop's names against the plan before any node is asked.
    public init(plan: FleetPlan, name: String, subdomain: String, domain: String?, skip: @escaping @Sendable (String, String) -> Void,
                connect: @escaping @Sendable (FleetPlan.Node) async throws -> FleetSession) throws {
        let label = try HostnameRules.normalizeSubdomain(subdomain)
        guard !plan.shops.contains(where: { $0.subdomain == label }) else { throw DomainError.conflict("The fleet already has a shop '\(label)'") }
        let host = try domain.map(HostnameRules.normalizeDomain)
        if let host, plan.shops.contains(where: { $0.domain == host }) {
            throw DomainError.conflict("The fleet already has a shop at '\(host)'")
        }
        (self.plan, self.name, self.subdomain, self.domain, self.skip, self.connect) = (plan, name, label, host, skip, connect)
    }

    /// Creates the shop and returns the plan with it; saving the plan is the caller's.
    public func run() async throws -> Result {
        var reports: [String: FleetPlacement.Report] = [:]
        var sessions: [String: FleetSession] = [:]
        for node in plan.nodes where !node.standby {
            do {
                let session = try await connect(node)
                reports[node.name] = try await session.client.report(token: session.token)
                sessions[node.name] = session
            } catch {
                skip(node.name, "\(error)")
            }
        }
        let chosen = try FleetPlacement.choose(in: plan, reports: reports)
        guard let session = sessions[chosen] else { throw DomainError.unavailable("Node \(chosen) has no session") }
        var shop = try await session.client.createShop(token: session.token, name: name, subdomain: subdomain, domain: domain)
        shop.node = chosen
        var next = plan
        next.shops.append(shop)
        return Result(plan: next, shop: shop)
    }
}
