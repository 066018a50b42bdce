import EmporiumSupport
import Foundation
import Testing

/// `promtool` from Debian's `prometheus` package; `.ci/run` installs it and checks it is there,
/// so in CI these tests always run.
enum Promtool {
    static let path = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs promtool in the repository's root (its rule files are named from there).
    static func run(_ arguments: [String], stdin: String? = nil) async throws -> (status: Int32, output: String) {
        try await SpawnedProcess.run(path ?? "/usr/bin/promtool", arguments, stdin: stdin, directory: repositoryRoot.path)
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

@Suite("The real binary: JSON logs on disk without secrets, SIGHUP, metrics and alert rules", .serialized)
struct ObservabilityTests {
    /// Every line of a log file, parsed; a line that is not a whole JSON object fails the test.
    func lines(_ path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
    }

    func waitUntil(_ condition: () throws -> Bool) throws {
        for _ in 0..<250 {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw E2EFailure("condition not met within 5 s")
    }

    /// Metric names in a PromQL expression: identifiers directly followed by `{` or `[` or that
    /// stand alone as an operand, minus PromQL's functions and keywords.
    /// The demo shop ships (`DemoCheckout`): an order names one of its methods (the owner may list them).
    static func demoShippingMethod(port: Int, headers: [String: String]) throws -> String {
        let zones = try RawHTTPConnection.request(port: port, path: "/api/v1/shipping-zones", headers: headers)
        let zone = ((try zones.json()["data"] as? [String: Any])?["zones"] as? [[String: Any]])?.first
        return try #require((zone?["methods"] as? [[String: Any]])?.first?["id"] as? String, "the demo shop has a shipping method: \(zones.body)")
    }

    static func metricNames(in expression: String) -> Set<String> {
        let words = ["sum", "by", "rate", "histogram_quantile", "clamp_min", "time", "max", "sort", "and", "unless", "on", "or", "without", "le"]
        let pattern = try! NSRegularExpression(pattern: #"(?<![\w"$.])([a-z_][a-z0-9_]*)(?=\s*[\{\[]|\s*[<>=!/*+)-]|\s*$)"#)
        let range = NSRange(expression.startIndex..., in: expression)
        // Label matchers and grouping clauses hold label names, not metrics.
        let labels = try! NSRegularExpression(pattern: #"\{[^}]*\}|\b(by|without|on|ignoring)\s*\([^)]*\)"#)
        let stripped = labels.stringByReplacingMatches(in: expression, range: range, withTemplate: "{}")
        return Set(pattern.matches(in: stripped, range: NSRange(stripped.startIndex..., in: stripped)).compactMap {
            Range($0.range(at: 1), in: stripped).map { String(stripped[$0]) }
        }.filter { !words.contains($0) && $0.contains("_") })
    }

    @Test func requestLinesLandOnDiskAsJSONAndNoSecretEverDoes() throws {
        let server = try EmporiumProcess(arguments: ["serve", "--demo"], environment: ["LOG_LEVEL": "info"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let logs = server.dataDirectory + "/logs"
        let shop = ["X-Tenant-ID": "demo", "Content-Type": "application/json", "User-Agent": "e2e-observer/1.0"]

        // Sign in, refresh, store an encrypted setting, change the password, and send a token in a query.
        let login = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/login", headers: shop,
                                                  body: #"{"email":"owner@demo.example","password":"demo-owner-pass"}"#)
        let tokens = try #require(try login.json()["data"] as? [String: Any])
        let access = try #require(tokens["accessToken"] as? String)
        let refresh = try #require(tokens["refreshToken"] as? String)
        var signedIn = shop
        signedIn["Authorization"] = "Bearer \(access)"
        let refreshed = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/refresh", headers: shop,
                                                      body: #"{"refreshToken":"\#(refresh)"}"#)
        #expect(refreshed.status == 200)
        let setting = try RawHTTPConnection.request(port: port, method: "PUT", path: "/api/v1/settings/payment_api_key", headers: signedIn,
                                                    body: #"{"value":"sk_live_settingsecret_4242","encrypted":true}"#)
        #expect(setting.status == 200, "\(setting.body)")
        let changed = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/password", headers: signedIn,
                                                    body: #"{"currentPassword":"demo-owner-pass","newPassword":"brand-new-passphrase-77"}"#)
        #expect(changed.status == 200, "\(changed.body)")
        let listing = try RawHTTPConnection.request(port: port, path: "/api/v1/products?limit=2&token=querysecret123&page=1", headers: shop)
        #expect(listing.status == 200)
        let correlation = try #require(listing.headers["x-correlation-id"])
        let failed = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/login", headers: shop,
                                                   body: #"{"email":"owner@demo.example","password":"wrong-password-999"}"#)
        #expect(failed.status == 401)

        // The request line of the listing, as the spec names its fields (lines are written in batches: wait for all six).
        try waitUntil {
            (try? lines(logs + "/combined.log"))?.filter { $0["message"] as? String == "HTTP Request" }.count ?? 0 >= 6
        }
        let combined = try lines(logs + "/combined.log")
        let line = try #require(combined.first { $0["correlationId"] as? String == correlation && $0["message"] as? String == "HTTP Request" })
        #expect(line["method"] as? String == "GET")
        #expect(line["url"] as? String == "/api/v1/products?limit=2&token=[REDACTED]&page=1")
        #expect(line["statusCode"] as? Int == 200)
        #expect(line["duration"] is Double || line["duration"] is Int)
        #expect(line["userAgent"] as? String == "e2e-observer/1.0")
        #expect(line["ip"] as? String == "127.0.0.1")
        #expect((line["tenantId"] as? String)?.count == 36)
        for field in ["timestamp", "level", "service", "version", "environment"] {
            #expect(line[field] is String, "missing \(field)")
        }
        #expect(combined.filter { $0["message"] as? String == "HTTP Request" }.count >= 6)

        // No password, token, key or secret anywhere in any log file or on stdout/stderr (the one
        // exception: `serve --demo` prints the demo owner's password on stdout, on purpose).
        let secrets = try String(contentsOfFile: server.dataDirectory + "/secrets.env", encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: "=", maxSplits: 1).last.map(String.init) }
        #expect(secrets.count == 3)
        let forbidden = ["brand-new-passphrase-77", "wrong-password-999", access, refresh, "querysecret123", "sk_live_settingsecret_4242",
                         "Bearer "] + secrets
        let logTexts = try FileManager.default.contentsOfDirectory(atPath: logs).map { try String(contentsOfFile: logs + "/" + $0, encoding: .utf8) }
        #expect(logTexts.count == 2)
        for secret in forbidden {
            #expect(!(logTexts + [server.stdout, server.stderr]).contains { $0.contains(secret) }, "output contains \(secret.prefix(12))…")
        }
        #expect(!logTexts.contains { $0.contains("demo-owner-pass") })
    }

    @Test func sighupReopensTheLogFilesAfterTheyWereMovedAway() throws {
        let server = try EmporiumProcess(environment: ["LOG_LEVEL": "info"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        let logs = server.dataDirectory + "/logs"
        #expect(try RawHTTPConnection.request(port: port, path: "/health/live").status == 200)
        try waitUntil { (try? String(contentsOfFile: logs + "/combined.log", encoding: .utf8))?.contains("/health/live") == true }

        // logrotate: move the file, then SIGHUP.
        try FileManager.default.moveItem(atPath: logs + "/combined.log", toPath: logs + "/combined.log.1")
        server.signal(SIGHUP)
        try waitUntil { FileManager.default.fileExists(atPath: logs + "/combined.log") }
        #expect(try RawHTTPConnection.request(port: port, path: "/health/ready").status == 200)
        try waitUntil { (try? String(contentsOfFile: logs + "/combined.log", encoding: .utf8))?.contains("/health/ready") == true }

        let moved = try lines(logs + "/combined.log.1")
        #expect(moved.contains { $0["url"] as? String == "/health/live" })
        #expect(!moved.contains { $0["url"] as? String == "/health/ready" })
        #expect(server.isRunning)
        server.signal(SIGTERM)
        try server.waitForExit(timeout: 5)
        #expect(server.exitStatus == 0)
    }

    @Test(.enabled(if: Promtool.path != nil, "promtool (Debian package prometheus) is not installed"))
    func promtoolAcceptsTheRealExpositionAndTheAlertRuleTestsPass() async throws {
        // A demo shop with a backup on disk (the server reports its age) and an order placed.
        let dataDirectory = EmporiumProcess.freshDataDirectory()
        let seeded = try EmporiumProcess(arguments: ["serve", "--demo"], dataDirectory: dataDirectory)
        _ = try seeded.waitForPort()
        seeded.signal(SIGTERM)
        try seeded.waitForExit(timeout: 5)
        #expect(try EmporiumProcess.run(["backup", "--all"], dataDirectory: dataDirectory).status == 0)
        let server = try EmporiumProcess(arguments: ["serve", "--demo"], dataDirectory: dataDirectory)
        defer { server.cleanUp() }
        let port = try server.waitForPort()
        for path in ["/api/v1/products", "/api/v1/products/no-such", "/api/v1/categories", "/nowhere"] {
            _ = try RawHTTPConnection.request(port: port, path: path, headers: ["X-Tenant-ID": "demo"])
        }
        let shop = ["X-Tenant-ID": "demo", "Content-Type": "application/json"]
        let login = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/login", headers: shop,
                                                  body: #"{"email":"owner@demo.example","password":"demo-owner-pass"}"#)
        let token = try #require((try login.json()["data"] as? [String: Any])?["accessToken"] as? String)
        let listing = try RawHTTPConnection.request(port: port, path: "/api/v1/products?limit=1", headers: shop)
        let product = try #require(((try listing.json()["data"] as? [String: Any])?["products"] as? [[String: Any]])?.first?["id"] as? String)
        var signedIn = shop
        signedIn["Authorization"] = "Bearer \(token)"
        let order = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/orders", headers: signedIn,
                                                  body: #"{"items":[{"productId":"\#(product)","quantity":1}],"shippingAddress":{"name":"Ada","line1":"1 Main St","city":"Berlin","country":"DE"},"shippingMethodId":"\#(try Self.demoShippingMethod(port: port, headers: signedIn))"}"#)
        #expect(order.status == 201, "\(order.body)")
        let metrics = try RawHTTPConnection.request(port: port, path: "/metrics")
        #expect(metrics.status == 200)
        let checked = try await Promtool.run(["check", "metrics"], stdin: metrics.body)
        #expect(checked.status == 0, "promtool check metrics: \(checked.output)")
        #expect(metrics.body.contains(#"http_requests_total{method="GET",route="/api/v1/products/{id}",status="404"} 1"#))

        // Every metric the Grafana dashboard and the alert rules query is one the binary exposes.
        let exposed = Set(metrics.body.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
        let dashboard = try String(contentsOf: Promtool.repositoryRoot.appendingPathComponent("config/grafana/emporium-dashboard.json"), encoding: .utf8)
        let alerts = try String(contentsOf: Promtool.repositoryRoot.appendingPathComponent("config/prometheus/alerts.yml"), encoding: .utf8)
        let panels = try #require(try JSONSerialization.jsonObject(with: Data(dashboard.utf8)) as? [String: Any])["panels"] as? [[String: Any]]
        let expressions = try #require(panels).flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 19)
        let alertExpressions = alerts.split(separator: "\n").filter { $0.contains("expr:") || $0.hasPrefix("          ") }.map(String.init)
        for expression in expressions + alertExpressions {
            for name in Self.metricNames(in: expression) where name != "up" {
                #expect(exposed.contains(name) || exposed.contains(name.replacingOccurrences(of: #"_(bucket|count|sum)$"#, with: "", options: .regularExpression)),
                        "\(name) in «\(expression)» is not exposed by /metrics")
            }
        }

        let rules = try await Promtool.run(["check", "rules", "config/prometheus/alerts.yml"])
        #expect(rules.status == 0, "\(rules.output)")
        let tests = try await Promtool.run(["test", "rules", "config/prometheus/alerts.test.yml"])
        #expect(tests.status == 0, "\(tests.output)")
        #expect(tests.output.contains("SUCCESS"))
    }
}
