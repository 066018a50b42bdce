import Foundation

/// The HAProxy configuration of a fleet (Debian's `haproxy`): one backend per node and two maps
/// that send each shop's requests to the node holding its file. A request finds its shop the way
/// a node does — `X-Tenant-ID` (id or subdomain), else `Host` (`<subdomain>.<baseDomain>` or the
/// shop's own domain), else the shop id of a media URL — and `/api/v1/platform/…` and anything
/// unknown go to the platform node, which answers 404 for a shop it does not hold. Moving a shop
/// rewrites a map line; `systemctl reload haproxy` then starts new workers while the old ones
/// finish their connections.
public struct HAProxyConfig: Sendable, Equatable {
    public static let tenantsMapName = "emporium-tenants.map"
    public static let hostsMapName = "emporium-hosts.map"

    /// The `frontend` and `backend` sections (global and defaults stay in haproxy.cfg).
    public var configuration: String
    /// `X-Tenant-ID` value (shop id or subdomain, lower case) → backend.
    public var tenantsMap: String
    /// `Host` (without port, lower case) → backend.
    public var hostsMap: String

    /// The two maps by file name: what a route change rewrites before HAProxy reloads.
    public var maps: [(name: String, text: String)] {
        [(Self.tenantsMapName, tenantsMap), (Self.hostsMapName, hostsMap)]
    }

    /// - Parameters:
    ///   - bind: what the frontend listens on, e.g. `:80` or `127.0.0.1:8080`.
    ///   - mapDirectory: where the two map files are installed (the configuration names them).
    public init(plan: FleetPlan, bind: String, mapDirectory: String) {
        let tenants = "\(mapDirectory)/\(Self.tenantsMapName)", hosts = "\(mapDirectory)/\(Self.hostsMapName)"
        var lines = [
            "# Emporium fleet: written by `emporium fleet haproxy` from the fleet plan. Do not edit; run it again.",
            "frontend emporium",
            "    mode http",
            "    bind \(bind)",
            "    option forwardfor",
            "    timeout client 60s",
            "    timeout http-request 10s",
            "    http-request set-var(txn.node) req.hdr(x-tenant-id),lower,map(\(tenants))",
            "    http-request set-var(txn.node) req.hdr(host),field(1,:),lower,map(\(hosts)) if !{ var(txn.node) -m found }",
            "    http-request set-var(txn.node) path,field(5,/),lower,map(\(tenants)) if !{ var(txn.node) -m found } { path_beg /api/v1/media/ }",
            "    use_backend \(Self.backend(plan.platformNode)) if { path_beg /api/v1/platform/ }",
            "    use_backend %[var(txn.node)] if { var(txn.node) -m found }",
            "    default_backend \(Self.backend(plan.platformNode))",
        ]
        for node in plan.nodes {
            guard let address = try? FleetNodeAddress(node.url) else { continue }  // a validated plan has none
            lines += [
                "",
                "backend \(Self.backend(node.name))",
                "    mode http",
                "    option httpchk GET /health/ready",
                "    timeout connect 5s",
                "    timeout server 60s",
                node.proxyAddress.map { "    server \(node.name) \($0) check resolvers \(Self.resolvers) init-addr last,libc,none" }
                    ?? "    server \(node.name) \(address.hostAndPort) check" + (address.usesTLS ? " ssl verify required ca-file @system-ca sni str(\(address.host))" : ""),
            ]
        }
        if plan.nodes.contains(where: { $0.proxyAddress != nil }) {
            // In a cluster a node's name outlives its address (a pod restarted elsewhere): the proxy
            // asks DNS again while it runs, and starts even before every node's name resolves.
            lines += ["", "resolvers \(Self.resolvers)", "    parse-resolv-conf", "    hold valid 10s"]
        }
        configuration = lines.joined(separator: "\n") + "\n"

        let shops = plan.shops.sorted { $0.subdomain < $1.subdomain }
        tenantsMap = shops.flatMap { shop in
            ["\(shop.id.uuidString.lowercased()) \(Self.backend(shop.node))", "\(shop.subdomain) \(Self.backend(shop.node))"]
        }.map { $0 + "\n" }.joined()
        hostsMap = shops.flatMap { shop in
            [plan.baseDomain.map { "\(shop.subdomain).\($0)" }, shop.domain].compactMap { $0 }.map { "\($0) \(Self.backend(shop.node))" }
        }.map { $0 + "\n" }.joined()
    }

    static let resolvers = "emporium_dns"

    /// A node's backend name. Node names are DNS labels (`FleetPlan.validate`), safe in HAProxy.
    public static func backend(_ node: String) -> String {
        "node_\(node)"
    }
}
