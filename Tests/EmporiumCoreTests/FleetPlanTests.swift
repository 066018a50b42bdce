import EmporiumCore
import Foundation
import Testing

/// The fleet plan's rules, where a new shop goes, and the HAProxy configuration made from a plan.
@Suite("Fleet: the plan, placement and the proxy's maps")
struct FleetPlanTests {
    static let acme = UUID(uuidString: "0193a1b2-0000-7000-8000-00000000000a")!
    static let bolt = UUID(uuidString: "0193a1b2-0000-7000-8000-00000000000b")!

    static let plan = FleetPlan(
        nodes: [FleetPlan.Node(name: "a", url: "https://a.fleet.example:3443"), FleetPlan.Node(name: "b", url: "http://127.0.0.1:3002"),
                FleetPlan.Node(name: "spare", url: "https://spare.fleet.example", standby: true)],
        platformNode: "a", baseDomain: "shops.example.com",
        shops: [FleetPlan.Shop(id: acme, subdomain: "acme", domain: "shop.acme.com", node: "a"),
                FleetPlan.Shop(id: bolt, subdomain: "bolt", node: "b")]
    )

    func fields(_ plan: FleetPlan) -> [String] {
        do {
            try plan.validate()
            return []
        } catch DomainError.validation(let issues) {
            return issues.map(\.field)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func aSoundPlanPassesAndEachBrokenRuleIsNamed() {
        #expect(fields(Self.plan).isEmpty)
        var broken = Self.plan
        broken.nodes.append(FleetPlan.Node(name: "a", url: "http://10.0.0.5:3000"))  // twice, and plain http off this machine
        broken.nodes.append(FleetPlan.Node(name: "Bad_Name", url: "https://x.example/api"))  // not a label, a path
        broken.platformNode = "nowhere"
        broken.baseDomain = "Shops.Example.com"
        broken.shops.append(FleetPlan.Shop(id: Self.acme, subdomain: "bolt", domain: "shop.acme.com", node: "gone"))
        #expect(fields(broken) == ["nodes[3].name", "nodes[3].url", "nodes[4].name", "nodes[4].url", "platformNode", "baseDomain",
                                   "shops[2].id", "shops[2].subdomain", "shops[2].domain", "shops[2].node"])
        #expect(fields(FleetPlan(nodes: [], platformNode: "a")) == ["nodes", "platformNode"])
    }

    @Test func theFileIsWrittenWholeWithLowerCaseIdsAndReadsBack() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.plan.save(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(Self.acme.uuidString.lowercased()) && !text.contains(Self.acme.uuidString))
        #expect(try FleetPlan.load(from: path) == Self.plan)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o644)
        #expect(try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
            .filter { $0.hasPrefix((path as NSString).lastPathComponent + ".tmp") }.isEmpty)

        var broken = Self.plan
        broken.platformNode = "nowhere"
        #expect(throws: DomainError.self) { try broken.save(to: path) }
        #expect(try FleetPlan.load(from: path) == Self.plan, "a refused plan leaves the file as it was")
        try Data("{\"nodes\": 3}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: DomainError.self) { try FleetPlan.load(from: path) }
        #expect(throws: DomainError.self) { try FleetPlan.load(from: path + ".missing") }
    }

    @Test func aNewShopGoesToTheNodeWithFewestShopsAndRoomOnDisk() throws {
        let gib: Int64 = 1 << 30
        func choose(_ reports: [String: FleetPlacement.Report]) throws -> String { try FleetPlacement.choose(in: Self.plan, reports: reports) }
        #expect(try choose(["a": .init(shops: 3, freeBytes: 9 * gib), "b": .init(shops: 2, freeBytes: 2 * gib)]) == "b")
        #expect(try choose(["a": .init(shops: 2, freeBytes: 9 * gib), "b": .init(shops: 2, freeBytes: 2 * gib)]) == "a", "a tie: more room")
        #expect(try choose(["a": .init(shops: 5, freeBytes: gib), "b": .init(shops: 0, freeBytes: gib - 1)]) == "a", "b is nearly full")
        #expect(try choose(["a": .init(shops: 9, freeBytes: 9 * gib), "spare": .init(shops: 0, freeBytes: 99 * gib)]) == "a",
                "a standby takes no new shops")
        #expect(try choose(["a": .init(shops: Int.max, freeBytes: Int64.max), "b": .init(shops: Int.min, freeBytes: Int64.min)]) == "a",
                "nonsense from a node neither traps nor wins")
        #expect(throws: DomainError.self) { try choose([:]) }
        #expect(throws: DomainError.self) { try choose(["a": .init(shops: 0, freeBytes: 0)]) }
    }

    @Test func theProxyRoutesEachShopByHeaderHostAndMediaPathToItsNode() {
        let rendered = HAProxyConfig(plan: Self.plan, bind: "127.0.0.1:8080", mapDirectory: "/etc/haproxy")
        let acme = Self.acme.uuidString.lowercased(), bolt = Self.bolt.uuidString.lowercased()
        #expect(rendered.tenantsMap == "\(acme) node_a\nacme node_a\n\(bolt) node_b\nbolt node_b\n")
        #expect(rendered.hostsMap == "acme.shops.example.com node_a\nshop.acme.com node_a\nbolt.shops.example.com node_b\n")
        let config = rendered.configuration
        #expect(config.contains("bind 127.0.0.1:8080"))
        #expect(config.contains("req.hdr(x-tenant-id),lower,map(/etc/haproxy/emporium-tenants.map)"))
        #expect(config.contains("req.hdr(host),field(1,:),lower,map(/etc/haproxy/emporium-hosts.map)"))
        #expect(config.contains("path,field(5,/),lower,map(/etc/haproxy/emporium-tenants.map)"))
        #expect(config.contains("use_backend node_a if { path_beg /api/v1/platform/ }") && config.contains("default_backend node_a"))
        #expect(config.contains("server a a.fleet.example:3443 check ssl verify required ca-file @system-ca sni str(a.fleet.example)"))
        #expect(config.contains("server b 127.0.0.1:3002 check\n"))
        #expect(config.contains("backend node_spare"), "the standby has a backend, ready for a failover's map")
    }

    @Test func inAClusterTheProxyForwardsToEachNodesOwnAddressWhileTheCommandsUseItsURL() {
        var plan = Self.plan
        plan.nodes[0].proxyAddress = "emporium-node-0.emporium-node:3000"
        #expect(fields(plan).isEmpty)
        let config = HAProxyConfig(plan: plan, bind: ":80", mapDirectory: "/m").configuration
        #expect(config.contains("server a emporium-node-0.emporium-node:3000 check resolvers emporium_dns init-addr last,libc,none\n"),
                "plain HTTP inside the cluster network, the name asked of DNS again while the proxy runs")
        #expect(config.contains("resolvers emporium_dns\n    parse-resolv-conf\n"))
        #expect(!HAProxyConfig(plan: Self.plan, bind: ":80", mapDirectory: "/m").configuration.contains("resolvers"), "not outside a cluster")
        for bad in ["emporium-node-0", "host:0", "host:65536", ":3000", "-x.y:80", "a b:80", "h\n:80", "[::1]:80"] {
            plan.nodes[0].proxyAddress = bad
            #expect(fields(plan) == ["nodes[0].proxyAddress"], "\(bad)")
        }
    }
}
