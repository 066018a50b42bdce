import EmporiumCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Sends a payment provider's request over its own short-lived HTTP/1.1 connection: TLS through
/// swift-nio-ssl with the system's certificate store and full hostname verification, a deadline
/// for the whole exchange, and a cap on the answer's size.
///
/// Why not AsyncHTTPClient: it brings swift-nio-extras' compression, which compiles its own copy
/// of zlib into the binary; the shop's gzip uses the system's zlib, patched by `apt`. Provider
/// calls are a few per order, so a pooled client buys nothing here.
final class ProviderHTTPClient: PaymentHTTPTransport {
    /// Connecting, and then the whole exchange, each get this long: a provider that hangs costs
    /// one checkout seconds, not a connection forever.
    static let defaultTimeout: TimeAmount = .seconds(20)
    /// Provider answers are small JSON; anything larger is refused rather than buffered.
    static let maximumResponseBytes = 1 << 20

    private let tlsConfiguration: TLSConfiguration
    private let timeout: TimeAmount
    private let connectTimeout: TimeAmount
    private let group: any EventLoopGroup
    /// Built on first use: reading the system's trust store once, not per request.
    private let sslContext = Mutex<NIOSSLContext?>(nil)

    /// `connectTimeout` bounds reaching the provider, `timeout` the exchange after; both are
    /// `timeout` unless told otherwise.
    init(tlsConfiguration: TLSConfiguration = .makeClientConfiguration(), timeout: TimeAmount = defaultTimeout,
         connectTimeout: TimeAmount? = nil, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.tlsConfiguration = tlsConfiguration
        self.timeout = timeout
        self.connectTimeout = connectTimeout ?? timeout
        self.group = group
    }

    func send(_ request: PaymentHTTPRequest) async throws -> PaymentHTTPResponse {
        let target = try OutboundURL(request.url)
        return try await exchange(with: target, timeout: timeout) { outbound in
            try await outbound.write(.head(Self.head(for: request, target: target, contentLength: request.body.count)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: request.body))))
            try await outbound.write(.end(nil))
        } receive: { inbound in
            try await Self.collect(inbound)
        }
    }

    /// One exchange over a new connection to `target`: `send` writes the request, `receive` reads
    /// the answer; the connection is closed after, and after `timeout` whatever is still going on.
    func exchange<Answer: Sendable>(
        with target: OutboundURL, timeout: TimeAmount,
        send: (NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>) async throws -> Void,
        receive: (NIOAsyncChannelInboundStream<HTTPClientResponsePart>) async throws -> Answer
    ) async throws -> Answer {
        let context = target.usesTLS ? try tlsContext() : nil
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(connectTimeout)
                .connect(host: target.host, port: target.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let context {
                            let hostname = target.isIPAddress ? nil : target.host
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname))
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch ChannelError.connectTimeout {
            // A provider that never takes the connection has not answered in time either.
            throw ProviderHTTPError.timedOut
        }
        let timedOut = Atomic<Bool>(false)
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) {
            timedOut.store(true, ordering: .relaxed)
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                do {
                    try await send(outbound)
                } catch {
                    // The connection failed under the write (a refused TLS handshake, say):
                    // the reason is on the inbound side, and it is the one worth reporting.
                    for try await _ in inbound {}
                    throw error
                }
                return try await receive(inbound)
            }
        } catch where timedOut.load(ordering: .relaxed) {
            throw ProviderHTTPError.timedOut
        }
    }

    private func tlsContext() throws -> NIOSSLContext {
        try sslContext.withLock { cached in
            if let cached { return cached }
            let made = try NIOSSLContext(configuration: tlsConfiguration)
            cached = made
            return made
        }
    }

    static func head(for request: PaymentHTTPRequest, target: OutboundURL, contentLength: Int) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: "User-Agent", value: "emporium")
        headers.add(name: "Connection", value: "close")
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(contentLength))
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target.requestTarget, headers: headers)
    }

    static func collect(_ inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>) async throws -> PaymentHTTPResponse {
        var status: Int?
        var body = ByteBuffer()
        for try await part in inbound {
            switch part {
            case .head(let head):
                // An interim answer (100 Continue) is followed by the real one.
                if head.status.code >= 200 { status = Int(head.status.code) }
            case .body(var chunk):
                guard body.readableBytes + chunk.readableBytes <= maximumResponseBytes else { throw ProviderHTTPError.answerTooLarge }
                body.writeBuffer(&chunk)
            case .end:
                guard let status else { continue }
                return PaymentHTTPResponse(status: status, body: Data(body.readableBytesView))
            }
        }
        throw ProviderHTTPError.connectionClosedEarly
    }
}

enum ProviderHTTPError: Error, Equatable, CustomStringConvertible {
    case timedOut
    case answerTooLarge
    case connectionClosedEarly

    var description: String {
        switch self {
        case .timedOut: "provider did not answer in time"
        case .answerTooLarge: "provider's answer exceeds \(ProviderHTTPClient.maximumResponseBytes) bytes"
        case .connectionClosedEarly: "provider closed the connection before answering"
        }
    }
}
