import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// Hummingbird's HTTP/1 child channel with `ConnectionLimits` applied: the raw-byte guard goes first
/// in the pipeline (so its header deadline covers a TLS handshake too), then TLS when configured,
/// the body deadline after HTTP decoding, and Hummingbird's idle timeout is on.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    let counter: ClientConnectionCounter
    let limits: ConnectionLimits
    let tls: TLSCertificates?
    let logger: Logger

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(ConnectionGuardHandler(
                counter: counter, headerTimeout: .interval(limits.headerTimeout), writeTimeout: .interval(limits.writeTimeout),
                exempt: limits.exempt, logger: self.logger
            ))
            if let tls {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
            }
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }

    /// The server builder `buildApplication` passes to Hummingbird.
    static func builder(limits: ConnectionLimits, tls: TLSCertificates?, logger: Logger) -> HTTPServerBuilder {
        let counter = ClientConnectionCounter(limit: limits.maxConnectionsPerClient)
        let bodyTimeout = TimeAmount.interval(limits.bodyTimeout)
        return HTTPServerBuilder { responder in
            let configuration = HTTP1Channel.Configuration(
                additionalChannelHandlers: [RequestBodyDeadlineHandler(timeout: bodyTimeout, logger: logger)],
                idleTimeout: .interval(limits.idleTimeout)
            )
            return GuardedHTTP1Channel(inner: HTTP1Channel(responder: responder, configuration: configuration),
                                       counter: counter, limits: limits, tls: tls, logger: logger)
        }
    }
}

extension TimeAmount {
    /// Whole milliseconds of a configured duration in seconds.
    static func interval(_ value: Double) -> TimeAmount {
        .milliseconds(Int64((value * 1000).rounded()))
    }
}
