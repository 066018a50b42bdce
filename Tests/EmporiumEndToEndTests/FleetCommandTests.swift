import EmporiumSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

enum HAProxyBinary {
    static let path = ["/usr/sbin/haproxy", "/usr/local/sbin/haproxy"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Two real appliances on loopback ports, one fleet file: `emporium fleet place` spreads new shops
/// over them, `fleet haproxy` writes the proxy's configuration, and a real HAProxy routes each
/// shop's requests — by `X-Tenant-ID`, by id and by `Host` — to the node that holds it.
@Suite("The real binary: a fleet of two nodes behind HAProxy", .serialized)
struct FleetCommandTests {
    static let operatorEmail = "ops@fleet.example"
    static let operatorPassword = "fleet-operator-pass"

    func startNode() throws -> (EmporiumProcess, Int) {
        let directory = EmporiumProcess.freshDataDirectory()
        let created = try EmporiumProcess.run(["operator", "create", "--email", Self.operatorEmail, "--password-stdin"],
                                              dataDirectory: directory, stdin: Self.operatorPassword + "\n")
        #expect(created.status == 0, "\(created.stderr)")
        let node = try EmporiumProcess(dataDirectory: directory, environment: ["BASE_DOMAIN": "shops.test"])
        return (node, try node.waitForPort())
    }

    func fleet(_ arguments: [String], file: String, stdin: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try EmporiumProcess.run(["fleet"] + arguments + ["--fleet", file], dataDirectory: EmporiumProcess.freshDataDirectory(), stdin: stdin)
    }

    func shopAnswer(port: Int, headers: [String: String]) throws -> Int {
        try RawHTTPConnection.request(port: port, path: "/api/v1/shop", headers: headers).status
    }

    @Test func shopsAreSpreadOverTheNodesAndHAProxyRoutesEachToItsOwn() async throws {
        let (nodeA, portA) = try startNode()
        defer { nodeA.cleanUp() }
        let (nodeB, portB) = try startNode()
        defer { nodeB.cleanUp() }
        let folder = EmporiumProcess.freshDataDirectory()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/fleet.json"
        try Data("""
            {"platformNode": "a", "baseDomain": "shops.test", "shops": [],
             "nodes": [{"name": "a", "url": "http://127.0.0.1:\(portA)"}, {"name": "b", "url": "http://127.0.0.1:\(portB)"}]}
            """.utf8).write(to: URL(fileURLWithPath: file))

        var placed: [(id: String, subdomain: String, node: String)] = []
        for index in 1...4 {
            let result = try fleet(["place", "--name", "Fleet shop \(index)", "--subdomain", "fleet\(index)", "--operator-email", Self.operatorEmail,
                                    "--password-stdin"], file: file, stdin: Self.operatorPassword + "\n")
            #expect(result.status == 0, "\(result.stderr)")
            let shop = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            placed.append((try #require(shop["id"] as? String), try #require(shop["subdomain"] as? String), try #require(shop["node"] as? String)))
        }
        #expect(placed.filter { $0.node == "a" }.count == 2 && placed.filter { $0.node == "b" }.count == 2, "\(placed)")
        for shop in placed {
            let (own, other) = shop.node == "a" ? (portA, portB) : (portB, portA)
            #expect(try shopAnswer(port: own, headers: ["X-Tenant-ID": shop.subdomain]) == 200, "the shop lives on \(shop.node)")
            #expect(try shopAnswer(port: other, headers: ["X-Tenant-ID": shop.subdomain]) == 404, "and only there")
        }

        let again = try fleet(["place", "--name", "Again", "--subdomain", "FLEET1", "--operator-email", Self.operatorEmail, "--password-stdin"],
                              file: file, stdin: Self.operatorPassword + "\n")
        #expect(again.status == 1 && again.stderr.contains("already has a shop 'fleet1'"), "\(again.stderr)")
        let wrongPassword = try fleet(["place", "--name", "X", "--subdomain", "nobody", "--operator-email", Self.operatorEmail, "--password-stdin"],
                                      file: file, stdin: "not-the-password\n")
        #expect(wrongPassword.status == 1 && wrongPassword.stderr.contains("node a skipped") && wrongPassword.stderr.contains("node b skipped"),
                "\(wrongPassword.stderr)")
        let shown = try fleet(["show"], file: file)
        #expect(shown.status == 0 && shown.stdout.contains("4 shop(s) on 2 node(s)"), "\(shown.stdout)")

        let proxyPort = try Self.freePort()
        let written = try fleet(["haproxy", "--out", folder, "--bind", "127.0.0.1:\(proxyPort)"], file: file)
        #expect(written.status == 0, "\(written.stderr)")
        let tenantsMap = try String(contentsOfFile: folder + "/emporium-tenants.map", encoding: .utf8)
        #expect(placed.allSatisfy { tenantsMap.contains("\($0.id) node_\($0.node)\n") && tenantsMap.contains("\($0.subdomain) node_\($0.node)\n") })

        guard let haproxy = HAProxyBinary.path else {
            Issue.record("the routing below needs Debian's haproxy (.ci/run installs it)")
            return
        }
        try Data("""
            global
                maxconn 256
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s

            """.utf8).write(to: URL(fileURLWithPath: folder + "/global.cfg"))
        let arguments = ["-f", folder + "/global.cfg", "-f", folder + "/emporium.cfg"]
        let checked = try await SpawnedProcess.run(haproxy, ["-c"] + arguments)
        #expect(checked.status == 0, "\(checked.output)")
        let proxy = try SpawnedProcess(haproxy, ["-db"] + arguments, environment: ProcessInfo.processInfo.environment)
        defer { kill(proxy.pid, SIGKILL); _ = proxy.exitStatus(waiting: true) }
        let deadline = Date().addingTimeInterval(10)
        while (try? RawHTTPConnection(port: proxyPort, timeout: 1)) == nil, Date() < deadline, proxy.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        for shop in placed {
            #expect(try shopAnswer(port: proxyPort, headers: ["X-Tenant-ID": shop.subdomain.uppercased()]) == 200, "\(shop)")
            #expect(try shopAnswer(port: proxyPort, headers: ["X-Tenant-ID": shop.id]) == 200, "\(shop)")
            #expect(try shopAnswer(port: proxyPort, headers: ["Host": "\(shop.subdomain).shops.test:\(proxyPort)"]) == 200, "\(shop)")
        }
        #expect(try shopAnswer(port: proxyPort, headers: ["X-Tenant-ID": "nobody"]) == 404, "an unknown shop goes to the platform node")
        #expect(try RawHTTPConnection.request(port: proxyPort, path: "/health/live").status == 200)
    }

    /// A port nothing listens on right now (bound to 0, read back, closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw E2EFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
