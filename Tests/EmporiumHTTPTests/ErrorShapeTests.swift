import EmporiumCore
import EmporiumHTTP
import EmporiumObservability
import EmporiumSQLite
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Every answer has the documented status, code and envelope")
struct ErrorShapeTests {
    @Test func unknownRouteIs404NotFoundWithCorrelationID() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let response = try await client.execute(uri: "/api/v1/no-such-thing", method: .get)
            #expect(response.status == .notFound)
            #expect(try response.errorCode() == "NOT_FOUND")
            let body = try response.json()
            #expect(body["success"] as? Bool == false)
            let correlation = try #require(response.headers[HTTPField.Name("X-Correlation-ID")!])
            #expect(body["correlationId"] as? String == correlation)
        }
    }

    @Test func wrongMethodIs405WithAllowHeader() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let response = try await client.execute(uri: "/health", method: .delete)
            #expect(response.status == .methodNotAllowed)
            #expect(try response.errorCode() == "METHOD_NOT_ALLOWED")
            #expect(response.headers[.allow] == "GET")
        }
    }

    @Test func clientCorrelationIDIsEchoedAndHostileOnesAreReplaced() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let echoed = try await client.execute(uri: "/health/live", method: .get, headers: [HTTPField.Name("X-Correlation-ID")!: "req-42.abc"])
            #expect(echoed.headers[HTTPField.Name("X-Correlation-ID")!] == "req-42.abc")
            let hostile = try await client.execute(
                uri: "/health/live", method: .get, headers: [HTTPField.Name("X-Correlation-ID")!: "x\" injected {"]
            )
            let replaced = try #require(hostile.headers[HTTPField.Name("X-Correlation-ID")!])
            #expect(UUID(uuidString: replaced) != nil)
        }
    }

    @Test func malformedJSONIs400() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let response = try await client.execute(
                uri: "/api/v1/platform/auth/login", method: .post, headers: .json(), body: ByteBuffer(string: #"{"email": "a@b.co", "password": "#)
            )
            #expect(response.status == .badRequest)
            #expect(try response.errorCode() == "VALIDATION_FAILED")
        }
    }

    @Test func missingFieldIs422WithFieldDetail() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let response = try await client.execute(
                uri: "/api/v1/platform/auth/login", method: .post, headers: .json(), body: ByteBuffer(string: #"{"email": "a@b.co"}"#)
            )
            #expect(response.status == .unprocessableContent)
            let error = try #require(try response.json()["error"] as? [String: Any])
            let details = try #require(error["details"] as? [[String: Any]])
            #expect(details.first?["field"] as? String == "password")
        }
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded"])
    func wrongContentTypeIs415(_ contentType: String?) async throws {
        let app = try TestApp.make()
        try await app.run { client in
            var headers = HTTPFields()
            if let contentType { headers[.contentType] = contentType }
            let response = try await client.execute(
                uri: "/api/v1/platform/auth/login", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"email":"a@b.co","password":"x"}"#)
            )
            #expect(response.status == .unsupportedMediaType)
            #expect(try response.errorCode() == "UNSUPPORTED_MEDIA_TYPE")
        }
    }

    @Test func oversizedBodyIs413AndNothingIsCreated() async throws {
        let app = try TestApp.make(["MAX_BODY_BYTES": "2048"])
        try await app.run { client in
            let token = try await app.operatorToken(client)
            let padding = String(repeating: "x", count: 4096)
            let response = try await client.execute(
                uri: "/api/v1/platform/tenants", method: .post, headers: .json(token: token),
                body: ByteBuffer(string: #"{"name":"Big","subdomain":"big","settings":{"pad":"\#(padding)"}}"#)
            )
            #expect(response.status == .contentTooLarge)
            #expect(try response.errorCode() == "PAYLOAD_TOO_LARGE")
            #expect(try await app.backend.tenants.tenant(subdomain: "big") == nil)
        }
    }

    @Test func errorsNeverLeakInternals() async throws {
        let app = try TestApp.make()
        try await app.run { client in
            let response = try await client.execute(
                uri: "/api/v1/platform/auth/login", method: .post, headers: .json(), body: ByteBuffer(string: "[1,2")
            )
            let text = String(buffer: response.body)
            #expect(!text.contains("SQL"))
            #expect(!text.contains(".swift"))
            #expect(!text.contains("DecodingError"))
        }
    }
}
