import EmporiumSupport
import Foundation
import Testing

@Suite("The real binary: health, tenancy over HTTP, graceful shutdown", .serialized)
struct ServerLifecycleTests {
    @Test func healthAnswersInTheSpecShapeFromTheRealBinary() throws {
        let server = try EmporiumProcess()
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let answer = try RawHTTPConnection.request(port: port, path: "/health")
        #expect(answer.status == 200)
        #expect(answer.headers["x-correlation-id"] != nil)
        let body = try answer.json()
        #expect(body["status"] as? String == "healthy")
        #expect(body["version"] is String)
        #expect(body["timestamp"] is String)
        #expect((body["services"] as? [String: Any])?.count == 3)
        #expect(body["database"] as? [String: String] == ["system": "connected", "tenants": "connected"])
        #expect(try RawHTTPConnection.request(port: port, path: "/health/ready").status == 200)
    }

    @Test func sigtermDrainsTheInFlightRequestAndExitsZeroWithinFiveSeconds() throws {
        // Given a running server and an operator
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        let created = try EmporiumProcess.run(["operator", "create", "--email", "ops@example.com", "--password-stdin"],
                                              dataDirectory: dataDirectory, stdin: "correct horse battery\n")
        #expect(created.status == 0, "\(created.stderr)")
        let server = try EmporiumProcess(dataDirectory: dataDirectory)
        defer { server.cleanUp() }
        let port = try server.waitForPort()

        // When a login request is half sent, SIGTERM arrives, and then the rest of the body follows
        let body = #"{"email":"ops@example.com","password":"correct horse battery"}"#
        let text = RawHTTPConnection.requestText(method: "POST", path: "/api/v1/platform/auth/login",
                                                 headers: ["Content-Type": "application/json"], body: body)
        let connection = try RawHTTPConnection(port: port)
        let cut = text.index(text.endIndex, offsetBy: -10)
        try connection.send(String(text[..<cut]))
        Thread.sleep(forTimeInterval: 0.3)
        server.signal(SIGTERM)
        Thread.sleep(forTimeInterval: 0.3)
        try connection.send(String(text[cut...]))

        // Then that request completes, new connections are refused, and the process exits 0 within 5 s
        let answer = try connection.readResponse()
        #expect(answer.status == 200, "\(answer.body)")
        #expect((try answer.json()["data"] as? [String: Any])?["accessToken"] is String)
        let seconds = try server.waitForExit(timeout: 5)
        #expect(server.exitStatus == 0, "stderr: \(server.stderr)")
        #expect(seconds < 5)
        #expect(server.stdout.contains("stopped cleanly"))
        // and the WAL was checkpointed into the main file on the way out
        let wal = (try? FileManager.default.attributesOfItem(atPath: dataDirectory + "/system.sqlite-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
    }

    @Test func healthCheckCommandPassesAgainstALiveServerAndFailsWithoutOne() throws {
        let server = try EmporiumProcess()
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let dataDirectory = EmporiumProcess.freshDataDirectory()

        let healthy = try EmporiumProcess.run(["health-check", "--port", "\(port)"], dataDirectory: dataDirectory)
        #expect(healthy.status == 0, "\(healthy.stderr)")
        #expect(healthy.stdout.contains("answered 200"))

        let missing = try EmporiumProcess.run(["health-check", "--port", "\(port)", "--path", "/no/such/page"], dataDirectory: dataDirectory)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("answered 404"))

        server.signal(SIGTERM)
        try server.waitForExit(timeout: 5)
        let stopped = try EmporiumProcess.run(["health-check", "--port", "\(port)", "--timeout", "1"], dataDirectory: dataDirectory)
        #expect(stopped.status == 1)
        #expect(stopped.stderr.hasPrefix("emporium: unhealthy: 127.0.0.1:\(port)"), "\(stopped.stderr)")
    }

    @Test func sigintAlsoStopsCleanly() throws {
        let server = try EmporiumProcess()
        defer { server.cleanUp() }
        _ = try server.waitForPort()
        server.signal(SIGINT)
        try server.waitForExit(timeout: 5)
        #expect(server.exitStatus == 0)
    }

    @Test func tenantsCreatedByTheCommandLineAreServedByHostAndHeader() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        let created = try EmporiumProcess.run(["tenant", "create", "--name", "Acme", "--subdomain", "acme", "--domain", "shop.acme.test"],
                                              dataDirectory: dataDirectory)
        #expect(created.status == 0, "\(created.stderr)")
        let tenant = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        let id = try #require(tenant["id"] as? String)
        #expect(tenant["subdomain"] as? String == "acme")

        let server = try EmporiumProcess(dataDirectory: dataDirectory, environment: ["BASE_DOMAIN": "shops.test"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        for headers in [["X-Tenant-ID": id], ["X-Tenant-ID": "acme"], ["Host": "acme.shops.test"], ["Host": "shop.acme.test:\(port)"]] {
            let answer = try RawHTTPConnection.request(port: port, path: "/api/v1/shop", headers: headers)
            #expect(answer.status == 200, "\(headers): \(answer.body)")
            #expect((try answer.json()["data"] as? [String: Any])?["id"] as? String == id)
        }
        let unknown = try RawHTTPConnection.request(port: port, path: "/api/v1/shop", headers: ["Host": "other.shops.test"])
        #expect(unknown.status == 404)
        #expect(unknown.body.contains("TENANT_NOT_FOUND"))

        // Suspending through the CLI while the server runs takes effect within the cache's few seconds
        let suspended = try EmporiumProcess.run(["tenant", "suspend", "acme"], dataDirectory: dataDirectory)
        #expect(suspended.status == 0, "\(suspended.stderr)")
        var status = 0
        for _ in 0..<50 {
            status = try RawHTTPConnection.request(port: port, path: "/api/v1/shop", headers: ["X-Tenant-ID": "acme"]).status
            if status == 403 { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(status == 403)
    }

    @Test func demoShopIsCreatedOnceAndServed() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        for run in 1...2 {
            let server = try EmporiumProcess(arguments: ["serve", "--demo"], dataDirectory: dataDirectory)
            let port = try server.waitForPort()
            let answer = try RawHTTPConnection.request(port: port, path: "/api/v1/shop", headers: ["X-Tenant-ID": "demo"])
            #expect(answer.status == 200)
            #expect(server.stdout.contains("Seeded the demo catalog") == (run == 1))
            server.signal(SIGTERM)
            try server.waitForExit(timeout: 5)
        }
        let list = try EmporiumProcess.run(["tenant", "list", "--json"], dataDirectory: dataDirectory)
        let tenants = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(tenants.count == 1)
    }
}
