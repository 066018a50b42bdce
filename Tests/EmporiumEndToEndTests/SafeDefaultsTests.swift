import Foundation
import Testing

/// What a packaged (production) install must not expose: `/metrics` to the world, the demo shop's
/// published owner password, or customers' data to other users of the box.
@Suite("The real binary: safe by default in production", .serialized)
struct SafeDefaultsTests {
    static let production: [String: String] = [
        "EMPORIUM_ENV": "production", "BCRYPT_COST": "10",
        "JWT_SECRET": String(repeating: "j", count: 40), "JWT_REFRESH_SECRET": String(repeating: "r", count: 40),
        "ENCRYPTION_KEY": String(repeating: "e", count: 40),
    ]

    @Test func metricsAreRefusedOnThePublicListenerAndServedOnTheLoopbackOneInProduction() throws {
        let server = try EmporiumProcess(environment: Self.production.merging(["METRICS_PORT": "0"]) { _, new in new })
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let refused = try RawHTTPConnection.request(port: port, path: "/metrics")
        #expect(refused.status == 403)
        #expect(!refused.body.contains("tenants_open"))
        let metricsPort = try waitForMetricsPort(server)
        let served = try RawHTTPConnection.request(port: metricsPort, path: "/metrics")
        #expect(served.status == 200)
        #expect(served.body.contains("tenants_open"))
        // The metrics listener serves nothing else
        #expect(try RawHTTPConnection.request(port: metricsPort, path: "/api/v1/openapi.json").status == 404)
    }

    @Test func aMetricsTokenOpensThePublicListenerToItsHolderOnly() throws {
        let server = try EmporiumProcess(environment: Self.production.merging(["METRICS_TOKEN": "scrape-token-123456"]) { _, new in new })
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        #expect(try RawHTTPConnection.request(port: port, path: "/metrics").status == 401)
        #expect(try RawHTTPConnection.request(port: port, path: "/metrics", headers: ["Authorization": "Bearer scrape-token-123456"]).status == 200)
    }

    @Test func demoRefusesToRunInProduction() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let result = try EmporiumProcess.run(["serve", "--demo"], dataDirectory: dataDirectory, environment: Self.production)
        #expect(result.status == 1)
        #expect(result.stderr.contains("refuses to run with EMPORIUM_ENV=production"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/system.sqlite"))
    }

    @Test func filesTheBinaryCreatesAreOwnerOnlyWhateverTheUmask() throws {
        // Given a permissive umask in the caller (the test's children inherit it)
        let previous = umask(0o022)
        defer { umask(previous) }
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let created = try EmporiumProcess.run(["tenant", "create", "--name", "Private", "--subdomain", "private"], dataDirectory: dataDirectory)
        #expect(created.status == 0, "\(created.stderr)")
        let backup = try EmporiumProcess.run(["backup", "--tenant", "private"], dataDirectory: dataDirectory)
        #expect(backup.status == 0, "\(backup.stderr)")
        let export = try EmporiumProcess.run(["export", "--tenant", "private", "--out", dataDirectory + "/private.export"], dataDirectory: dataDirectory)
        #expect(export.status == 0, "\(export.stderr)")

        // Then every file under the data directory is 0600 and every folder 0700
        let enumerator = try #require(FileManager.default.enumerator(atPath: dataDirectory))
        var checked = 0
        while let relative = enumerator.nextObject() as? String {
            let path = dataDirectory + "/" + relative
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o777
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            #expect(mode == (isDirectory ? 0o700 : 0o600), "\(relative) is \(String(mode, radix: 8))")
            checked += 1
        }
        #expect(checked >= 5)
    }

    private func waitForMetricsPort(_ server: EmporiumProcess) throws -> Int {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let range = server.stdout.range(of: #"Metrics on http://127\.0\.0\.1:(\d+)/metrics"#, options: .regularExpression),
               let port = Int(server.stdout[range].split(separator: ":").last?.split(separator: "/").first ?? "") {
                return port
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw E2EFailure("no metrics listener line in: \(server.stdout)")
    }
}
