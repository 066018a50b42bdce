import EmporiumSupport
import Foundation
import Synchronization
import Testing

@Suite("Checkout against the real binary", .serialized)
struct CheckoutStormTests {
    @Test func fiftyConcurrentBuyersOverHTTPGetExactlyTheLastTenUnits() throws {
        // Given a running server, a shop with an owner, and a product with 10 units
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        _ = try EmporiumProcess.run(["tenant", "create", "--name", "Storm", "--subdomain", "storm"], dataDirectory: dataDirectory)
        _ = try EmporiumProcess.run(["user", "create", "--tenant", "storm", "--email", "owner@storm.example", "--role", "owner",
                                     "--password", "owner-pass-1"], dataDirectory: dataDirectory)
        let server = try EmporiumProcess(dataDirectory: dataDirectory, environment: ["RATE_LIMIT_MAX_REQUESTS": "1000"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        @Sendable func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) throws -> HTTPAnswer {
            var headers = ["X-Tenant-ID": "storm", "Content-Type": "application/json"]
            if let token { headers["Authorization"] = "Bearer \(token)" }
            return try RawHTTPConnection.request(port: port, method: method, path: path, headers: headers, body: body)
        }
        func token(_ answer: HTTPAnswer) throws -> String {
            guard let token = (try answer.json()["data"] as? [String: Any])?["accessToken"] as? String else { throw E2EFailure(answer.body) }
            return token
        }
        let owner = try token(try call("POST", "/api/v1/auth/login", body: #"{"email":"owner@storm.example","password":"owner-pass-1"}"#))
        let created = try call("POST", "/api/v1/products", token: owner, body: #"{"name":"Last one","sku":"LAST","price":19.99,"status":"active","stock":10}"#)
        #expect(created.status == 201, "\(created.body)")
        let productID = try #require((try created.json()["data"] as? [String: Any])?["id"] as? String)
        var tokens: [String] = []
        for index in 1...50 {
            let registered = try call("POST", "/api/v1/auth/register",
                                      body: #"{"email":"buyer\#(index)@storm.example","password":"buyer-pass-1","firstName":"B","lastName":"\#(index)"}"#)
            tokens.append(try token(registered))
        }
        let buyers = tokens

        // When all fifty try to buy one unit at the same moment (one thread each, released together)
        let statuses = Mutex<[Int]>([])
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for buyer in buyers {
            done.enter()
            Thread.detachNewThread {
                start.wait()
                let status = (try? call("POST", "/api/v1/orders", token: buyer,
                                        body: #"{"items":[{"productId":"\#(productID)","quantity":1}]}"#).status) ?? -1
                statuses.withLock { $0.append(status) }
                done.leave()
            }
        }
        for _ in buyers { start.signal() }
        #expect(done.wait(timeout: .now() + 60) == .success)

        // Then exactly ten orders exist and stock − reserved is zero, never negative
        let results = statuses.withLock { $0 }
        #expect(results.filter { $0 == 201 }.count == 10, "\(results)")
        #expect(results.filter { $0 == 409 }.count == 40, "\(results)")
        let product = try call("GET", "/api/v1/products/\(productID)", token: owner)
        let inventory = try #require((try product.json()["data"] as? [String: Any])?["inventory"] as? [String: Int])
        #expect(inventory == ["stock": 10, "reserved": 10, "available": 0, "lowStockThreshold": 10])
        let orders = try call("GET", "/api/v1/orders?limit=100", token: owner)
        #expect(((try orders.json()["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total"] as? Int == 10)
        server.signal(SIGTERM)
        try server.waitForExit(timeout: 5)
        #expect(server.exitStatus == 0)
    }
}
