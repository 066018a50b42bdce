import AsyncHTTPClient
import EmporiumCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends payment providers' requests with AsyncHTTPClient's shared client (TLS through
/// swift-nio-ssl, certificates from the system store). Each call has its own deadline, so a
/// provider that hangs costs one checkout 20 seconds, not a connection forever.
struct AsyncHTTPClientTransport: PaymentHTTPTransport {
    static let timeout: TimeAmount = .seconds(20)
    /// Provider answers are small JSON; anything larger is refused rather than buffered.
    static let maximumResponseBytes = 1 << 20

    func send(_ request: PaymentHTTPRequest) async throws -> PaymentHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        let response = try await HTTPClient.shared.execute(outgoing, timeout: Self.timeout)
        let body = try await response.body.collect(upTo: Self.maximumResponseBytes)
        return PaymentHTTPResponse(status: Int(response.status.code), body: Data(body.readableBytesView))
    }
}
