import EmporiumSupport
import Foundation
import Testing

/// What the binary asks ICU for, asked of the binary itself: a shop's time zone (accepted by name,
/// its offsets and clock changes), the shop's local days on the dashboard, and dates parsed from a
/// query. The release build links ICU's data trimmed to what Emporium uses (packaging/icu), and CI
/// runs this suite against that build too, so a zone or calendar dropped from the data fails here.
@Suite("The real binary: shop time zones, local days and dates", .serialized)
struct TimeZoneTests {
    static let operatorEmail = "ops@zones.example"
    static let operatorPassword = "zones-operator-pass"

    @Test func zonesAreKnownByNameAndTheDashboardCountsTheShopsLocalDays() throws {
        // Given a shop with an owner, a customer and a paid order, served with a German locale in the environment
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        let created = try EmporiumProcess.run(["operator", "create", "--email", Self.operatorEmail, "--password-stdin"],
                                              dataDirectory: dataDirectory, stdin: Self.operatorPassword + "\n")
        #expect(created.status == 0, "\(created.stderr)")
        _ = try EmporiumProcess.run(["tenant", "create", "--name", "Zones", "--subdomain", "zones"], dataDirectory: dataDirectory)
        _ = try EmporiumProcess.run(["user", "create", "--tenant", "zones", "--email", "owner@zones.example", "--role", "owner",
                                     "--password", "owner-pass-1"], dataDirectory: dataDirectory)
        let server = try EmporiumProcess(dataDirectory: dataDirectory, environment: ["LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        func call(_ method: String, _ path: String, token: String?, body: String? = nil, shop: Bool = true) throws -> HTTPAnswer {
            var headers = ["Content-Type": "application/json"]
            if shop { headers["X-Tenant-ID"] = "zones" }
            if let token { headers["Authorization"] = "Bearer \(token)" }
            return try RawHTTPConnection.request(port: port, method: method, path: path, headers: headers, body: body)
        }
        func data(_ answer: HTTPAnswer) throws -> [String: Any] {
            guard let data = try answer.json()["data"] as? [String: Any] else { throw E2EFailure("\(answer.status) \(answer.body)") }
            return data
        }
        let platform = try #require(try data(call("POST", "/api/v1/platform/auth/login", token: nil,
                                                  body: #"{"email":"\#(Self.operatorEmail)","password":"\#(Self.operatorPassword)"}"#,
                                                  shop: false))["accessToken"] as? String)
        let owner = try #require(try data(call("POST", "/api/v1/auth/login", token: nil,
                                               body: #"{"email":"owner@zones.example","password":"owner-pass-1"}"#))["accessToken"] as? String)
        let buyer = try #require(try data(call("POST", "/api/v1/auth/register", token: nil,
                                               body: #"{"email":"ann@zones.example","password":"buyer-pass-1","firstName":"Ann","lastName":"Lee"}"#))["accessToken"] as? String)
        let product = try data(call("POST", "/api/v1/products", token: owner,
                                    body: #"{"name":"Clock","sku":"CLOCK","price":25.00,"status":"active","stock":5}"#))
        let productID = try #require(product["id"] as? String)
        let order = try data(call("POST", "/api/v1/orders", token: buyer, body: #"{"items":[{"productId":"\#(productID)","quantity":1}]}"#))
        let orderID = try #require(order["id"] as? String)
        let placedAt = try #require((order["createdAt"] as? String).flatMap { try? Date($0, strategy: .iso8601) }, "\(order)")
        #expect(try call("POST", "/api/v1/orders/\(orderID)/pay", token: owner).status == 200)

        func setZone(_ name: String) throws -> HTTPAnswer {
            try call("PATCH", "/api/v1/platform/tenants/zones", token: platform, body: #"{"settings":{"timezone":"\#(name)"}}"#, shop: false)
        }

        // Then zones with odd offsets, half-hour clock changes and deep names are known; a made-up one is refused
        for name in ["Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe", "Pacific/Chatham", "America/Argentina/Buenos_Aires",
                     "Africa/Casablanca", "Etc/GMT+5", "UTC"] {
            let answer = try setZone(name)
            #expect(answer.status == 200, "\(name): \(answer.body)")
            #expect((try data(answer)["settings"] as? [String: Any])?["timezone"] as? String == name)
        }
        let unknown = try setZone("Mars/Olympus")
        #expect(unknown.status == 422 && unknown.body.contains("timezone"), "\(unknown.status) \(unknown.body)")

        // And a day of a clock change is one day: Berlin's 2026-03-29 has 23 hours
        #expect(try setZone("Europe/Berlin").status == 200)
        let spring = try data(call("GET", "/api/v1/analytics/dashboard?from=2026-03-28&to=2026-03-30", token: owner))
        let springDays = (spring["charts"] as? [String: Any])?["revenueByDay"] as? [[String: Any]]
        #expect(springDays?.map { $0["date"] as? String } == ["2026-03-28", "2026-03-29", "2026-03-30"])
        #expect((spring["period"] as? [String: Any])?["timeZone"] as? String == "Europe/Berlin")

        // And the order counts on the day it was placed in the shop's zone: 25 hours apart, Kiritimati
        // (UTC+14) and Pago Pago (UTC−11) never share a date, so a zone read as UTC fails one of them
        for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            #expect(try setZone(zone).status == 200)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = try #require(TimeZone(identifier: zone))
            let localDay = calendar.startOfDay(for: placedAt)
            let days = try [-1, 0, 1].map { offset in
                let day = try #require(calendar.date(byAdding: .day, value: offset, to: localDay))
                let parts = calendar.dateComponents([.year, .month, .day], from: day)
                return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            }
            let dashboard = try data(call("GET", "/api/v1/analytics/dashboard?from=\(days[0])&to=\(days[2])", token: owner))
            let byDay = (dashboard["charts"] as? [String: Any])?["revenueByDay"] as? [[String: Any]]
            #expect(byDay?.map { $0["date"] as? String } == days, "\(zone)")
            #expect(byDay?.map { $0["revenue"] as? Double } == [0, 25, 0], "\(zone): placed \(placedAt), \(String(describing: byDay))")
        }

        // And dates in a query are parsed as ISO 8601, a day or an instant; anything else is refused
        let today = ISO8601DateFormatter().string(from: placedAt.addingTimeInterval(-86_400))
        #expect(try call("GET", "/api/v1/audit-logs?from=\(today)", token: owner).status == 200)
        let audit = try data(call("GET", "/api/v1/audit-logs?from=2020-01-01&to=2100-01-01", token: owner))
        #expect(((audit["pagination"] as? [String: Any])?["total"] as? Int ?? 0) > 0, "\(audit)")
        #expect(try call("GET", "/api/v1/audit-logs?from=01.02.2026", token: owner).status == 400)
        server.signal(SIGTERM)
        try server.waitForExit(timeout: 5)
        #expect(server.exitStatus == 0)
    }
}
