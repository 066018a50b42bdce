import Foundation

/// Which appliances make up a fleet and which shop lives on which (`/etc/emporium/fleet.json`).
/// Shops are independent files, so a fleet needs no cluster of its own: this plan, a proxy that
/// routes each shop's requests to its node (`HAProxyConfig`), and commands that place shops. The
/// file is the single source of truth for routing; a node only knows its own shops.
public struct FleetPlan: Codable, Sendable, Equatable {
    /// One appliance: its name in the plan and the URL its API answers on.
    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        /// `https://…` (or `http://` on this machine): the commands call the node's platform API
        /// there, and the proxy forwards the node's shops to its host and port.
        public var url: String
        /// A standby takes no new shops; it receives backups and takes over a lost node's shops.
        public var standby: Bool
        /// `host:port` the proxy forwards to over plain HTTP when it is not the URL's — inside a
        /// cluster network, e.g. a Kubernetes pod's `emporium-node-0.emporium-node:3000`, while the
        /// commands reach the node through `url` (`kubectl port-forward`, or its TLS address).
        public var proxyAddress: String?

        public init(name: String, url: String, standby: Bool = false, proxyAddress: String? = nil) {
            self.name = name
            self.url = url
            self.standby = standby
            self.proxyAddress = proxyAddress
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            url = try container.decode(String.self, forKey: .url)
            standby = try container.decodeIfPresent(Bool.self, forKey: .standby) ?? false
            proxyAddress = try container.decodeIfPresent(String.self, forKey: .proxyAddress)
        }

        /// Whether `text` is `host:port`: a DNS name or IPv4 address and a port HAProxy can use.
        static func isProxyAddress(_ text: String) -> Bool {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
                return false
            }
            let host = text[..<colon]
            return !host.isEmpty && host.count <= 253 && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
                    && label.first != "-" && label.last != "-"
            }
        }
    }

    /// A shop and the node that holds its file.
    public struct Shop: Codable, Sendable, Equatable {
        public var id: UUID
        public var subdomain: String
        public var domain: String?
        public var node: String

        public init(id: UUID, subdomain: String, domain: String? = nil, node: String) {
            self.id = id
            self.subdomain = subdomain
            self.domain = domain
            self.node = node
        }

        /// Ids in lower case, as the API and the proxy's maps write them.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id.uuidString.lowercased(), forKey: .id)
            try container.encode(subdomain, forKey: .subdomain)
            try container.encodeIfPresent(domain, forKey: .domain)
            try container.encode(node, forKey: .node)
        }
    }

    public var nodes: [Node]
    /// The node that answers `/api/v1/platform/…` and requests for no known shop.
    public var platformNode: String
    /// `BASE_DOMAIN` of the nodes: a shop is also reached at `<subdomain>.<baseDomain>`.
    public var baseDomain: String?
    public var shops: [Shop]

    public init(nodes: [Node], platformNode: String, baseDomain: String? = nil, shops: [Shop] = []) {
        self.nodes = nodes
        self.platformNode = platformNode
        self.baseDomain = baseDomain
        self.shops = shops
    }

    /// The plan's rules, each broken one named: unique node names (DNS labels, usable as HAProxy
    /// backend names), node URLs the commands may call, a platform node that exists, and shops with
    /// unique ids, subdomains and domains on nodes of the plan.
    public func validate() throws {
        var issues: [FieldIssue] = []
        if nodes.isEmpty { issues.append(FieldIssue(field: "nodes", message: "must name at least one node")) }
        var names = Set<String>()
        for (index, node) in nodes.enumerated() {
            if let problem = HostnameRules.labelProblem(node.name) {
                issues.append(FieldIssue(field: "nodes[\(index)].name", message: problem))
            } else if !names.insert(node.name).inserted {
                issues.append(FieldIssue(field: "nodes[\(index)].name", message: "'\(node.name)' is named twice"))
            }
            if (try? FleetNodeAddress(node.url)) == nil {
                issues.append(FieldIssue(field: "nodes[\(index)].url",
                                         message: "must be https://host[:port] (http:// only on this machine), without a path"))
            }
            if let address = node.proxyAddress, !Node.isProxyAddress(address) {
                issues.append(FieldIssue(field: "nodes[\(index)].proxyAddress", message: "must be host:port, e.g. emporium-node-0.emporium-node:3000"))
            }
        }
        if !names.contains(platformNode) {
            issues.append(FieldIssue(field: "platformNode", message: "'\(platformNode)' is not a node of the plan"))
        }
        if let baseDomain, (try? HostnameRules.normalizeDomain(baseDomain)) != baseDomain {
            issues.append(FieldIssue(field: "baseDomain", message: "must be a lower-case domain name"))
        }
        var ids = Set<UUID>(), subdomains = Set<String>(), domains = Set<String>()
        for (index, shop) in shops.enumerated() {
            if !ids.insert(shop.id).inserted { issues.append(FieldIssue(field: "shops[\(index)].id", message: "is listed twice")) }
            if (try? HostnameRules.normalizeSubdomain(shop.subdomain)) != shop.subdomain {
                issues.append(FieldIssue(field: "shops[\(index)].subdomain", message: "must be a lower-case DNS label"))
            } else if !subdomains.insert(shop.subdomain).inserted {
                issues.append(FieldIssue(field: "shops[\(index)].subdomain", message: "'\(shop.subdomain)' is listed twice"))
            }
            if let domain = shop.domain {
                if (try? HostnameRules.normalizeDomain(domain)) != domain {
                    issues.append(FieldIssue(field: "shops[\(index)].domain", message: "must be a lower-case domain name"))
                } else if !domains.insert(domain).inserted {
                    issues.append(FieldIssue(field: "shops[\(index)].domain", message: "'\(domain)' is listed twice"))
                }
            }
            if !names.contains(shop.node) {
                issues.append(FieldIssue(field: "shops[\(index)].node", message: "'\(shop.node)' is not a node of the plan"))
            }
        }
        if !issues.isEmpty { throw DomainError.validation(issues) }
    }

    /// Shops per node, every node of the plan included (standbys too, with what they hold).
    public var shopCounts: [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: nodes.map { ($0.name, 0) })
        for shop in shops { counts[shop.node, default: 0] += 1 }
        return counts
    }

    // MARK: The file

    /// Reads and validates the plan at `path`.
    public static func load(from path: String) throws -> FleetPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DomainError.notFound("No fleet file at \(path)")
        }
        let plan: FleetPlan
        do {
            plan = try JSONDecoder().decode(FleetPlan.self, from: data)
        } catch {
            throw DomainError.badRequest("The fleet file \(path) is not a fleet plan: \(error)")
        }
        try plan.validate()
        return plan
    }

    /// Writes the plan to `path` whole or not at all (`AtomicFile`): a crash never leaves a
    /// half-written plan for the proxy to be built from.
    public func save(to path: String) throws {
        try validate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        try AtomicFile.write(data, to: path)
    }
}
