import Foundation
import Testing

@Suite("The real binary: backup and restore from the command line", .serialized)
struct BackupCommandTests {
    @Test func backupWhileServingThenRestoreOnlyOnceTheServerStopped() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let created = try EmporiumProcess.run(["tenant", "create", "--name", "Acme", "--subdomain", "acme"], dataDirectory: dataDirectory)
        #expect(created.status == 0, "\(created.stderr)")
        let server = try EmporiumProcess(dataDirectory: dataDirectory)
        defer { server.cleanUp() }
        let port = try server.waitForPort()

        // A second server on the same data is refused.
        let second = try EmporiumProcess.run(["serve"], dataDirectory: dataDirectory, timeout: 10)
        #expect(second.status == 1)
        #expect(second.stderr.contains("Another emporium serve is running"), "\(second.stderr)")

        // Backups work while the server runs (online backup).
        let out = dataDirectory + "/elsewhere"
        let backup = try EmporiumProcess.run(["backup", "--tenant", "acme", "--out", out], dataDirectory: dataDirectory)
        #expect(backup.status == 0, "\(backup.stderr)")
        let file = try #require(backup.stdout.split(separator: " ").first.map(String.init))
        #expect(file.hasPrefix(out + "/acme-") && file.hasSuffix(".sqlite.gz"))
        // sha256sum agrees with the manifest, as an operator would check it.
        let manifest = try String(contentsOfFile: file + ".sha256", encoding: .utf8)
        #expect(manifest.hasSuffix("  \((file as NSString).lastPathComponent)\n"))

        let all = try EmporiumProcess.run(["backup", "--all"], dataDirectory: dataDirectory)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains(dataDirectory + "/backups/acme-"))
        let neither = try EmporiumProcess.run(["backup"], dataDirectory: dataDirectory)
        #expect(neither.status != 0)

        // Restore is refused while the server runs, pointing at the API.
        let refused = try EmporiumProcess.run(["restore", "--tenant", "acme", file], dataDirectory: dataDirectory)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("platform/tenants/{id}/restore"), "\(refused.stderr)")

        // After the server stopped, the same restore goes through.
        #expect(try RawHTTPConnection.request(port: port, path: "/api/v1/shop", headers: ["X-Tenant-ID": "acme"]).status == 200)
        server.signal(SIGTERM)
        try server.waitForExit(timeout: 5)
        let restored = try EmporiumProcess.run(["restore", "--tenant", "acme", file], dataDirectory: dataDirectory)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("the previous file is kept at"))

        // A damaged backup is refused with its reason and exit status 1.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: file))
        let damaged = try EmporiumProcess.run(["restore", "--tenant", "acme", file], dataDirectory: dataDirectory)
        #expect(damaged.status == 1)
        #expect(damaged.stderr.contains("does not match its checksum"), "\(damaged.stderr)")

        let again = try EmporiumProcess(dataDirectory: dataDirectory)
        defer { again.cleanUp() }
        let newPort = try again.waitForPort()
        #expect(try RawHTTPConnection.request(port: newPort, path: "/api/v1/shop", headers: ["X-Tenant-ID": "acme"]).status == 200)
    }
}
