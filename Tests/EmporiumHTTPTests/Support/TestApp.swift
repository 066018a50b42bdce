import EmporiumCore
import EmporiumHTTP
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import TestScratch

/// A fresh data directory and the application built exactly as `emporium serve` builds it.
struct TestApp {
    let directory: URL
    let config: AppConfig
    let backend: SQLiteBackend
    let deps: AppDependencies

    static func make(_ overrides: [String: String] = [:], clock: TestClock = TestClock(), directory given: URL? = nil,
                     imageProcessor: (any ImageProcessor)? = nil, mailTransport: (any MailTransport)? = nil) throws -> TestApp {
        let directory = given ?? URL(fileURLWithPath: scratchPath("emporium-test"))
        var environment = ["DATA_DIR": directory.path, "EMPORIUM_ENV": "test", "BCRYPT_COST": "4", "LOG_LEVEL": "error"]
        environment.merge(overrides) { _, new in new }
        let config = try ConfigLoader(environment: environment).load()
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let backend = try SQLiteBackend(config: config, logger: logger)
        let deps = AppDependencies(config: config, backend: backend, logger: logger, imageProcessor: imageProcessor, mailTransport: mailTransport,
                                   now: { clock.now })
        return TestApp(directory: directory, config: config, backend: backend, deps: deps)
    }

    /// Runs `body` against the router (no sockets), then removes the data directory (unless a
    /// second app on the same directory runs after it).
    func run(removingData: Bool = true, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = await buildApplication(deps)
        defer { if removingData { try? FileManager.default.removeItem(at: directory) } }
        try await app.test(.router, body)
    }

    /// Creates an operator and returns a platform bearer token for it.
    func operatorToken(_ client: some TestClientProtocol, email: String = "ops@example.com", password: String = "correct horse battery") async throws -> String {
        if try await backend.operators.operatorBy(email: email) == nil {
            _ = try await deps.operators.create(email: email, password: password)
        }
        let response = try await client.execute(
            uri: "/api/v1/platform/auth/login", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#)
        )
        let object = try response.json()
        guard let data = object["data"] as? [String: Any], let token = data["accessToken"] as? String else {
            throw TestFailure("login failed: \(response.status) \(String(buffer: response.body))")
        }
        return token
    }
}

/// A clock tests move by hand, to cross lockout windows, token expiry and rate-limit windows
/// without sleeping.
final class TestClock: Sendable {
    private let current = Mutex(Date())
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

extension TestApp {
    /// Creates a shop and returns its id.
    func shop(_ subdomain: String = "shop") async throws -> UUID {
        try await deps.tenants.create(NewTenant(name: subdomain.capitalized, subdomain: subdomain)).id
    }

    /// Creates a user with `role` in the shop (as the command line would).
    @discardableResult
    func user(_ email: String, role: Role, in shop: UUID, password: String = "password-123") async throws -> User {
        try await deps.users.create(in: shop, .init(email: email, password: password, firstName: "Test", lastName: role.rawValue, role: role),
                                    by: .commandLine)
    }

    /// Signs in through the API and returns the token answer's `data`.
    func signIn(_ client: some TestClientProtocol, _ email: String, in subdomain: String = "shop",
                password: String = "password-123") async throws -> [String: Any] {
        let response = try await client.execute(
            uri: "/api/v1/auth/login", method: .post, headers: .json(tenant: subdomain),
            body: ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#)
        )
        guard let data = try response.json()["data"] as? [String: Any] else {
            throw TestFailure("sign-in failed: \(response.status) \(String(buffer: response.body))")
        }
        return data
    }

    func accessToken(_ client: some TestClientProtocol, _ email: String, in subdomain: String = "shop") async throws -> String {
        try await signIn(client, email, in: subdomain)["accessToken"] as! String
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestResponse {
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw TestFailure("body is not a JSON object: \(String(buffer: body))")
        }
        return object
    }

    /// The `error.code` of a standard error envelope.
    func errorCode() throws -> String? {
        let object = try json()
        return (object["error"] as? [String: Any])?["code"] as? String
    }
}

extension HTTPFields {
    static func json(token: String? = nil, tenant: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let tenant { fields[HTTPField.Name("X-Tenant-ID")!] = tenant }
        return fields
    }
}
