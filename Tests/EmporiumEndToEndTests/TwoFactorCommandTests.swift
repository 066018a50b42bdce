import EmporiumSupport
import Foundation
import Testing

/// Two-factor sign-in on the real binary: enrolment over HTTP, the code asked for at sign-in,
/// the secret kept out of the logs, and `user two-factor-reset` from the box's shell while serving.
@Suite("The real binary: two-factor sign-in and its reset from the command line", .serialized)
struct TwoFactorCommandTests {
    let shop = ["X-Tenant-ID": "acme", "Content-Type": "application/json"]

    /// The authenticator app's current code, computed by Python's standard library (RFC 6238).
    func code(_ secret: String) async throws -> String {
        let script = """
            import base64, hashlib, hmac, sys, time
            key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
            mac = hmac.new(key, (int(time.time()) // 30).to_bytes(8, "big"), hashlib.sha1).digest()
            o = mac[-1] & 15
            print("%06d" % ((int.from_bytes(mac[o:o + 4], "big") & 0x7FFFFFFF) % 1000000))
            """
        let run = try await SpawnedProcess.run("/usr/bin/env", ["python3", "-c", script, secret])
        guard run.status == 0 else { throw E2EFailure("python3: \(run.output)") }
        return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func login(_ port: Int, code: String? = nil) throws -> HTTPAnswer {
        let field = code.map { #","code":"\#($0)""# } ?? ""
        return try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/login", headers: shop,
                                             body: #"{"email":"owner@acme.example","password":"passphrase-1234"\#(field)}"#)
    }

    @Test func enrolSignInWithACodeAndResetFromTheShell() async throws {
        let data = EmporiumProcess.freshDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        #expect(try EmporiumProcess.run(["tenant", "create", "--name", "Acme", "--subdomain", "acme"], dataDirectory: data).status == 0)
        let made = try EmporiumProcess.run(["user", "create", "--tenant", "acme", "--email", "owner@acme.example", "--role", "owner", "--password-stdin"],
                                           dataDirectory: data, stdin: "passphrase-1234\n")
        #expect(made.status == 0, "\(made.stderr)")
        let server = try EmporiumProcess(dataDirectory: data, environment: ["LOG_DIR": data + "/logs", "LOG_LEVEL": "debug"])
        defer { server.cleanUp() }
        let port = try server.waitForPort()

        let token = try #require((try login(port).json()["data"] as? [String: Any])?["accessToken"] as? String)
        var owner = shop
        owner["Authorization"] = "Bearer \(token)"
        let setup = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/2fa/setup", headers: owner,
                                                  body: #"{"password":"passphrase-1234"}"#)
        let secret = try #require((try setup.json()["data"] as? [String: Any])?["secret"] as? String)
        let confirm = try RawHTTPConnection.request(port: port, method: "POST", path: "/api/v1/auth/2fa/confirm", headers: owner,
                                                    body: #"{"code":"\#(try await code(secret))"}"#)
        #expect(confirm.status == 200, "\(confirm.body)")
        let recovery = try #require((try confirm.json()["data"] as? [String: Any])?["recoveryCodes"] as? [String])

        let asked = try login(port)
        #expect(asked.status == 401)
        #expect(asked.body.contains("TWO_FACTOR_REQUIRED"))
        #expect(try login(port, code: recovery[0]).status == 200)

        // The secret and the codes never reach the log files or the database in clear.
        var logs = ""
        for _ in 0..<100 where !logs.contains("/api/v1/auth/2fa/confirm") {  // the writer thread flushes on its own time
            try await Task.sleep(for: .milliseconds(50))
            logs = (try? String(contentsOfFile: data + "/logs/combined.log", encoding: .utf8)) ?? ""
        }
        #expect(logs.contains("/api/v1/auth/2fa/confirm"))
        #expect(!logs.contains(secret) && !logs.contains(recovery[1]))
        let dump = try await SpawnedProcess.run("/usr/bin/env", ["sqlite3", try shopFile(data), "SELECT sealed_secret, recovery_codes FROM user_two_factor"])
        #expect(dump.status == 0 && dump.output.hasPrefix("v1:"), "\(dump.output)")
        #expect(!dump.output.contains(secret) && !dump.output.contains(recovery[1]))

        // The owner lost the phone: reset from the shell, while the server runs (a second after the
        // token was issued: a forced sign-out spares tokens of its own second, issued-at being whole seconds).
        try await Task.sleep(for: .milliseconds(1100))
        let reset = try EmporiumProcess.run(["user", "two-factor-reset", "--tenant", "acme", "--email", "owner@acme.example"], dataDirectory: data)
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stdout.contains("Removed the second factor"))
        #expect(try RawHTTPConnection.request(port: port, path: "/api/v1/auth/me", headers: owner).status == 401, "sessions end with the reset")
        #expect(try login(port).status == 200)
        let twice = try EmporiumProcess.run(["user", "two-factor-reset", "--tenant", "acme", "--email", "owner@acme.example"], dataDirectory: data)
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("no two-factor"), "\(twice.stderr)")

        _ = try EmporiumProcess.run(["operator", "create", "--email", "ops@acme.example", "--password-stdin"], dataDirectory: data, stdin: "operator-pass-1234\n")
        let operatorReset = try EmporiumProcess.run(["operator", "two-factor-reset", "--email", "ops@acme.example"], dataDirectory: data)
        #expect(operatorReset.status == 0 && operatorReset.stdout.contains("had no second factor"), "\(operatorReset.stdout) \(operatorReset.stderr)")
    }

    func shopFile(_ data: String) throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: data + "/tenants").filter { $0.hasSuffix(".sqlite") }
        guard files.count == 1 else { throw E2EFailure("expected one shop file, found \(files)") }
        return data + "/tenants/" + files[0]
    }
}
