import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// Hummingbird's HTTP/1 child channel with `ConnectionLimits` applied: the raw-byte guard goes first
/// in the pipeline (the per-address cap, the write deadline), then TLS when configured, then the
/// header deadline on the requests' bytes, the body deadline after HTTP decoding, and Hummingbird's
/// idle timeout is on (it also ends a TLS handshake that stalls).
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
                counter: counter, writeTimeout: .interval(limits.writeTimeout), exempt: limits.exempt, logger: self.logger
            ))
            if let tls {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.context))
            }
            // On the bytes of the requests: after TLS when there is TLS.
            try channel.pipeline.syncOperations.addHandler(RequestHeaderDeadlineHandler(timeout: .interval(limits.headerTimeout), logger: self.logger))
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
