import Foundation

/// One HTTPS request to a payment provider's API. The core builds requests and reads answers;
/// the HTTP layer sends them, so domain code carries no HTTP client.
public struct PaymentHTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: Data

    public init(method: String, url: String, headers: [String: String], body: Data) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct PaymentHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// Sends a provider request; throws when the provider cannot be reached (after its own timeout).
public protocol PaymentHTTPTransport: Sendable {
    func send(_ request: PaymentHTTPRequest) async throws -> PaymentHTTPResponse
}
