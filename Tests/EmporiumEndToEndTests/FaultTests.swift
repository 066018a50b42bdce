import EmporiumSupport
import Foundation
import Synchronization
import Testing

/// A shop on a running binary, driven over HTTP as its owner and its customers.
struct LiveShop {
    let port: Int
    let subdomain: String

    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) throws -> HTTPAnswer {
        var headers = ["X-Tenant-ID": subdomain, "Content-Type": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try RawHTTPConnection.request(port: port, method: method, path: path, headers: headers, body: body)
    }

    func token(_ answer: HTTPAnswer) throws -> String {
        guard let token = (try answer.json()["data"] as? [String: Any])?["accessToken"] as? String else { throw E2EFailure(answer.body) }
        return token
    }

    func signIn(_ email: String, _ password: String) throws -> String {
        try token(try call("POST", "/api/v1/auth/login", body: #"{"email":"\#(email)","password":"\#(password)"}"#))
    }

    func data(_ answer: HTTPAnswer) throws -> [String: Any] {
        guard let data = try answer.json()["data"] as? [String: Any] else { throw E2EFailure("\(answer.status) \(answer.body)") }
        return data
    }

    /// Every order the owner can see: id → quantity of its single line.
    func allOrders(owner: String) throws -> [String: Int] {
        var orders: [String: Int] = [:]
        for page in 1... {
            let list = try data(try call("GET", "/api/v1/orders?limit=100&page=\(page)", token: owner))
            let batch = list["orders"] as? [[String: Any]] ?? []
            for order in batch {
                let quantity = (order["items"] as? [[String: Any]])?.compactMap { $0["quantity"] as? Int }.reduce(0, +) ?? 0
                orders[order["id"] as? String ?? ""] = quantity
            }
            if batch.count < 100 { return orders }
        }
        return orders
    }
}

/// Sets up a shop with an owner through the command line, before any server starts.
func makeShop(_ subdomain: String, in dataDirectory: String) throws {
    let created = try EmporiumProcess.run(["tenant", "create", "--name", subdomain.capitalized, "--subdomain", subdomain], dataDirectory: dataDirectory)
    guard created.status == 0 else { throw E2EFailure(created.stderr) }
    let owner = try EmporiumProcess.run(["user", "create", "--tenant", subdomain, "--email", "owner@\(subdomain).example", "--role", "owner",
                                         "--password", "owner-pass-1"], dataDirectory: dataDirectory)
    guard owner.status == 0 else { throw E2EFailure(owner.stderr) }
}

@Suite("Faults: kill -9 mid-checkout, a full disk, a shop file lost under the server", .serialized)
struct FaultTests {
    static let limits = ["RATE_LIMIT_MAX_REQUESTS": "100000", "TENANT_RATE_LIMIT_MAX_REQUESTS": "1000000",
                         "CLIENT_RATE_LIMIT_MAX_REQUESTS": "1000000", "USER_RATE_LIMIT_MAX_REQUESTS": "1000000"]

    @Test func killNineDuringACheckoutStormLosesNoAcknowledgedOrderAndStockAddsUp() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        try makeShop("storm", in: dataDirectory)
        let server = try EmporiumProcess(dataDirectory: dataDirectory, environment: Self.limits)
        defer { server.cleanUp() }
        let shop = LiveShop(port: try server.waitForPort(), subdomain: "storm")
        let owner = try shop.signIn("owner@storm.example", "owner-pass-1")
        let product = try shop.data(try shop.call("POST", "/api/v1/products", token: owner,
                                                   body: #"{"name":"Storm kettle","sku":"STORM","price":5,"status":"active","stock":100000}"#))
        let productID = try #require(product["id"] as? String)
        // The storm's buyers never pay: lift the shop's cap on unpaid orders per customer
        #expect(try shop.call("PUT", "/api/v1/settings/orders.maxPendingPerCustomer", token: owner, body: #"{"value":1000000}"#).status == 200)
        var buyers: [String] = []
        for index in 1...8 {
            buyers.append(try shop.token(try shop.call("POST", "/api/v1/auth/register",
                body: #"{"email":"buyer\#(index)@storm.example","password":"buyer-pass-1","firstName":"B","lastName":"\#(index)"}"#)))
        }

        // When eight buyers order as fast as they can and the server is killed with SIGKILL mid-storm
        let acknowledged = Mutex<[String: Int]>([:])
        let done = DispatchGroup()
        for (index, buyer) in buyers.enumerated() {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                var quantity = index % 3 + 1
                for _ in 0..<5_000 {
                    guard let answer = try? shop.call("POST", "/api/v1/orders", token: buyer,
                                                      body: #"{"items":[{"productId":"\#(productID)","quantity":\#(quantity)}]}"#) else { return }
                    if answer.status == 201, let id = (try? shop.data(answer))?["id"] as? String {
                        acknowledged.withLock { $0[id] = quantity }
                    }
                    quantity = quantity % 3 + 1
                }
            }
        }
        for _ in 0..<1_000 where acknowledged.withLock({ $0.count }) < 150 { Thread.sleep(forTimeInterval: 0.01) }
        server.signal(SIGKILL)
        #expect(done.wait(timeout: .now() + 30) == .success)
        try server.waitForExit(timeout: 5)
        let answered = acknowledged.withLock { $0 }
        #expect(answered.count >= 150, "the storm was too short to mean anything")

        // Then after a restart every order answered 201 is there, and stock − reserved − sold adds up
        let restarted = try EmporiumProcess(dataDirectory: dataDirectory, environment: Self.limits)
        defer { restarted.cleanUp() }
        let after = LiveShop(port: try restarted.waitForPort(), subdomain: "storm")
        let owner2 = try after.signIn("owner@storm.example", "owner-pass-1")
        let stored = try after.allOrders(owner: owner2)
        for (id, quantity) in answered {
            #expect(stored[id] == quantity, "order \(id) was answered 201 but is \(stored[id].map(String.init) ?? "missing")")
        }
        #expect(stored.count >= answered.count)
        let inventory = try #require(try after.data(try after.call("GET", "/api/v1/products/\(productID)", token: owner2))["inventory"] as? [String: Int])
        let reserved = stored.values.reduce(0, +)
        #expect(inventory["stock"] == 100_000)
        #expect(inventory["reserved"] == reserved, "reserved \(inventory) vs the orders' \(reserved) units")
        #expect(inventory["available"] == 100_000 - reserved)
    }

    @Test func aShopFileDeletedOrCorruptedUnderTheServerAffectsThatShopAlone() throws {
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        for name in ["alpha", "beta", "gamma"] { try makeShop(name, in: dataDirectory) }
        // One open shop file at a time, so a shop's file is reopened on its next use.
        let server = try EmporiumProcess(dataDirectory: dataDirectory, environment: ["MAX_OPEN_TENANTS": "1"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let shops = ["alpha", "beta", "gamma"].map { LiveShop(port: port, subdomain: $0) }
        for shop in shops { #expect(try shop.call("GET", "/api/v1/products").status == 200) }

        let tenants = try #require(try JSONSerialization.jsonObject(with: Data(
            EmporiumProcess.run(["tenant", "list", "--json"], dataDirectory: dataDirectory).stdout.utf8)) as? [[String: Any]])
        func file(_ subdomain: String) throws -> String {
            let id = try #require(tenants.first { $0["subdomain"] as? String == subdomain }?["id"] as? String)
            return dataDirectory + "/tenants/\(id).sqlite"
        }
        // beta's file disappears; gamma's is overwritten with garbage
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: try file("beta") + suffix) }
        let gamma = try file("gamma")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: gamma + suffix) }
        try Data(repeating: 0x42, count: 64 * 1024).write(to: URL(fileURLWithPath: gamma))

        // Signing in reads the shop's own file (catalog listings may still come from the cache).
        for _ in 0..<3 {
            #expect(try shops[0].signIn("owner@alpha.example", "owner-pass-1").isEmpty == false)
            for broken in shops[1...] {
                let answer = try broken.call("POST", "/api/v1/auth/login",
                                             body: #"{"email":"owner@\#(broken.subdomain).example","password":"owner-pass-1"}"#)
                #expect(answer.status == 503, "\(broken.subdomain): \(answer.status) \(answer.body)")
                #expect((try answer.json()["error"] as? [String: Any])?["code"] as? String == "SERVICE_UNAVAILABLE")
            }
        }
        #expect(try RawHTTPConnection.request(port: port, path: "/health/live").status == 200)
        let owner = try shops[0].signIn("owner@alpha.example", "owner-pass-1")
        #expect(try shops[0].call("POST", "/api/v1/products", token: owner, body: #"{"name":"Still fine","sku":"OK1","price":1}"#).status == 201)
    }

    @Test(.enabled(if: TinyFilesystem.canMount, "needs root and mount(8) to mount a small tmpfs"))
    func aFullDiskGivesCleanErrorsNoCorruptionAndRecoversWhenSpaceReturns() throws {
        let filesystem = try TinyFilesystem(megabytes: 6)
        defer { filesystem.unmount() }
        let dataDirectory = filesystem.path + "/data"
        try makeShop("full", in: dataDirectory)
        let logs = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: logs) }
        let server = try EmporiumProcess(dataDirectory: dataDirectory, environment: ["LOG_DIR": logs])
        defer { server.cleanUp() }
        let shop = LiveShop(port: try server.waitForPort(), subdomain: "full")
        let owner = try shop.signIn("owner@full.example", "owner-pass-1")

        // Fill the disk, leaving a little room, then write products until a write fails
        let filler = filesystem.path + "/filler"
        try filesystem.fill(filler, leavingKilobytes: 256)
        var created = 0
        var failure: HTTPAnswer?
        let description = String(repeating: "A kettle description that takes room. ", count: 40)
        for index in 0..<2_000 {
            let answer = try shop.call("POST", "/api/v1/products", token: owner,
                                       body: #"{"name":"Kettle \#(index)","sku":"K\#(index)","price":1,"description":"\#(description)"}"#)
            if answer.status == 201 { created += 1; continue }
            failure = answer
            break
        }
        let full = try #require(failure, "the disk never filled")
        #expect([503, 507].contains(full.status), "\(full.status) \(full.body)")
        #expect((try full.json()["success"] as? Bool) == false)
        #expect(created > 0)
        // Reads still work while the disk is full
        #expect(try shop.call("GET", "/api/v1/products?limit=1").status == 200)

        // Space returns: writes work again without a restart
        try FileManager.default.removeItem(atPath: filler)
        let again = try shop.call("POST", "/api/v1/products", token: owner, body: #"{"name":"After","sku":"AFTER","price":1}"#)
        #expect(again.status == 201, "\(again.body)")
        let listing = try shop.data(try shop.call("GET", "/api/v1/products?limit=1", token: owner))
        #expect((listing["pagination"] as? [String: Any])?["total"] as? Int == created + 1)

        // and the file is intact
        server.signal(SIGTERM)
        try server.waitForExit(timeout: 5)
        let files = try FileManager.default.contentsOfDirectory(atPath: dataDirectory + "/tenants").filter { $0.hasSuffix(".sqlite") }
        for name in files {
            let check = try TinyFilesystem.shell("/usr/bin/sqlite3", [dataDirectory + "/tenants/" + name, "PRAGMA integrity_check;"])
            #expect(check.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(name): \(check)")
        }
    }
}

/// A tmpfs of a few megabytes, mounted for one test (root only).
struct TinyFilesystem {
    let path: String

    static var canMount: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/mount")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") && probe()
    }

    /// Tries a mount once: containers without CAP_SYS_ADMIN refuse it even to root.
    private static func probe() -> Bool {
        guard let filesystem = try? TinyFilesystem(megabytes: 1) else { return false }
        filesystem.unmount()
        return true
    }

    init(megabytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-tiny-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        _ = try Self.shell("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
    }

    /// Writes `file` until only about `leavingKilobytes` are free.
    func fill(_ file: String, leavingKilobytes: Int) throws {
        var status = statvfs()
        statvfs(path, &status)
        let free = Int(status.f_bavail) * Int(status.f_frsize)
        let size = max(0, free - leavingKilobytes * 1024)
        try Data(count: size).write(to: URL(fileURLWithPath: file))
    }

    func unmount() {
        _ = try? Self.shell("/usr/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    static func shell(_ tool: String, _ arguments: [String]) throws -> String {
        let child = try SpawnedProcess(tool, arguments, environment: ProcessInfo.processInfo.environment)
        try child.input.close()
        let text = String(decoding: child.output.readDataToEndOfFile() + child.errorOutput.readDataToEndOfFile(), as: UTF8.self)
        guard child.exitStatus(waiting: true) == 0 else { throw E2EFailure("\(tool) \(arguments.joined(separator: " ")): \(text)") }
        return text
    }
}
