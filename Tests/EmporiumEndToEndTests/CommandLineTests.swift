import Foundation
import Testing

@Suite("The command line: exit codes, one-line errors, masked secrets", .serialized)
struct CommandLineTests {
    @Test(arguments: [("PORT", "abc"), ("LOG_LEVEL", "loud"), ("MAX_OPEN_TENANTS", "-1")])
    func invalidSettingStopsServeWithOneLineNamingIt(_ name: String, _ value: String) throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let result = try EmporiumProcess.run(["serve"], dataDirectory: dataDirectory, environment: [name: value])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(name))
    }

    @Test func productionWithoutSecretsRefusesToStart() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let result = try EmporiumProcess.run(["serve"], dataDirectory: dataDirectory, environment: ["EMPORIUM_ENV": "production", "BCRYPT_COST": "12"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("JWT_SECRET"))
    }

    @Test func checkConfigMasksSecrets() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        let secret = "a-very-secret-value-that-must-not-be-printed-anywhere"
        let result = try EmporiumProcess.run(["check-config"], dataDirectory: dataDirectory, environment: ["JWT_SECRET": secret, "METRICS_TOKEN": "tok-123-secret"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("JWT_SECRET=********"))
        #expect(!result.stdout.contains(secret))
        #expect(!result.stdout.contains("tok-123-secret"))
        #expect(result.stdout.contains("PORT=0"))
    }

    @Test func tenantLifecycleThroughTheCommandLine() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        #expect(try EmporiumProcess.run(["tenant", "create", "--name", "One", "--subdomain", "one"], dataDirectory: dataDirectory).status == 0)
        let duplicate = try EmporiumProcess.run(["tenant", "create", "--name", "Two", "--subdomain", "ONE"], dataDirectory: dataDirectory)
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr.hasPrefix("emporium: "))
        let invalid = try EmporiumProcess.run(["tenant", "create", "--name", "Bad", "--subdomain", "bad_one"], dataDirectory: dataDirectory)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("subdomain"))
        #expect(try EmporiumProcess.run(["tenant", "suspend", "one"], dataDirectory: dataDirectory).stdout.contains("Suspended one"))
        #expect(try EmporiumProcess.run(["tenant", "activate", "one"], dataDirectory: dataDirectory).stdout.contains("Activated one"))
        let deleted = try EmporiumProcess.run(["tenant", "delete", "one"], dataDirectory: dataDirectory)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let archives = try FileManager.default.contentsOfDirectory(atPath: dataDirectory + "/backups/deleted")
        #expect(archives.count == 1 && archives[0].hasPrefix("one-"))
        let missing = try EmporiumProcess.run(["tenant", "suspend", "one"], dataDirectory: dataDirectory)
        #expect(missing.status == 1)
        let list = try EmporiumProcess.run(["tenant", "list", "--json"], dataDirectory: dataDirectory)
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || list.stdout.contains("[]"))
    }

    @Test func tenantListPagesOldestFirstAndRefusesBadPages() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        for index in 1...5 {
            let created = try EmporiumProcess.run(["tenant", "create", "--name", "Shop \(index)", "--subdomain", "shop\(index)"], dataDirectory: dataDirectory)
            #expect(created.status == 0, "\(created.stderr)")
        }
        func subdomains(_ arguments: [String]) throws -> [String] {
            let listed = try EmporiumProcess.run(["tenant", "list", "--json"] + arguments, dataDirectory: dataDirectory)
            #expect(listed.status == 0, "\(listed.stderr)")
            let shops = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            return shops.compactMap { $0["subdomain"] as? String }
        }
        #expect(try subdomains([]) == ["shop1", "shop2", "shop3", "shop4", "shop5"])
        #expect(try subdomains(["--page", "1", "--limit", "2"]) == ["shop1", "shop2"])
        #expect(try subdomains(["--page", "3", "--limit", "2"]) == ["shop5"])
        #expect(try subdomains(["--page", "4", "--limit", "2"]) == [])
        let table = try EmporiumProcess.run(["tenant", "list", "--page", "2", "--limit", "2"], dataDirectory: dataDirectory)
        #expect(table.stdout.hasPrefix("page 2 of 3, 5 shop(s)"), "\(table.stdout)")
        #expect(table.stdout.contains("shop3") && table.stdout.contains("shop4") && !table.stdout.contains("shop5"))
        for bad in [["--page", "0"], ["--page", "9223372036854775807"], ["--limit", "101"], ["--page", "x"], ["--limit", "0"]] {
            let refused = try EmporiumProcess.run(["tenant", "list"] + bad, dataDirectory: dataDirectory)
            #expect(refused.status == 1, "\(bad): \(refused.stdout)")
            #expect(refused.stderr.hasPrefix("emporium: "), "\(bad): \(refused.stderr)")
        }
    }

    @Test func migrateIsIdempotentAndVersionPrints() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        _ = try EmporiumProcess.run(["tenant", "create", "--name", "One", "--subdomain", "one"], dataDirectory: dataDirectory)
        for _ in 1...2 {
            let result = try EmporiumProcess.run(["migrate"], dataDirectory: dataDirectory)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("tenants: 1 databases up to date"))
        }
        let version = try EmporiumProcess.run(["version"], dataDirectory: dataDirectory)
        #expect(version.stdout.hasPrefix("emporium "))
    }
}

@Suite("Accounts through the real binary", .serialized)
struct AccountCommandLineTests {
    @Test func userCreatedByTheCommandLineSignsInOverHTTPAndDemoPrintsItsOwner() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        _ = try EmporiumProcess.run(["tenant", "create", "--name", "Shop", "--subdomain", "shop"], dataDirectory: dataDirectory)
        let created = try EmporiumProcess.run(["user", "create", "--tenant", "shop", "--email", "boss@example.com", "--role", "owner",
                                               "--password-stdin"], dataDirectory: dataDirectory, stdin: "boss-password-1\n")
        #expect(created.status == 0, "\(created.stderr)")
        let badRole = try EmporiumProcess.run(["user", "create", "--tenant", "shop", "--email", "x@example.com", "--role", "king",
                                               "--password", "password-123"], dataDirectory: dataDirectory)
        #expect(badRole.status == 1)
        #expect(badRole.stderr.contains("role"))

        let server = try EmporiumProcess(arguments: ["serve", "--demo"], dataDirectory: dataDirectory)
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        #expect(server.stdout.contains("owner@demo.example"))
        for (shop, email, password) in [("shop", "boss@example.com", "boss-password-1"), ("demo", "owner@demo.example", "demo-owner-pass")] {
            let login = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/login",
                                                      headers: ["Content-Type": "application/json", "X-Tenant-ID": shop],
                                                      body: #"{"email":"\#(email)","password":"\#(password)"}"#)
            #expect(login.status == 200, "\(shop): \(login.body)")
            let token = try #require((try login.json()["data"] as? [String: Any])?["accessToken"] as? String)
            let users = try RawHTTPConnection.request(port: port, path: "/api/v1/users",
                                                      headers: ["Authorization": "Bearer \(token)", "X-Tenant-ID": shop])
            #expect(users.status == 200)
            #expect(users.headers["x-content-type-options"] == "nosniff")
        }
    }
}
