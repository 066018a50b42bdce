import EmporiumCore
import Logging
import NIOCore

/// First handler of every connection, on raw bytes: refuses a connection past the per-address cap,
/// and closes one whose request header block is not complete within `headerTimeout` of its first
/// byte (a slow-header client). The body deadline is `RequestBodyDeadlineHandler`'s, the idle one
/// Hummingbird's own.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private enum Phase {
        /// Between requests: the idle timeout applies.
        case idle
        /// Bytes of a header block have arrived; `matched` bytes of `\r\n\r\n` ended the last read.
        case readingHeader(matched: Int)
        /// The header is complete: the body deadline and the application take over until the answer.
        case inRequest
    }

    private let counter: ClientConnectionCounter
    private let headerTimeout: TimeAmount
    private let exempt: [IPNetwork]
    private let logger: Logger
    private var address: String?
    private var phase = Phase.idle
    private var deadline: Scheduled<Void>?

    init(counter: ClientConnectionCounter, headerTimeout: TimeAmount, exempt: [IPNetwork], logger: Logger) {
        self.counter = counter
        self.headerTimeout = headerTimeout
        self.exempt = exempt
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let ip = context.channel.remoteAddress?.ipAddress, !exempt.contains(where: { $0.contains(ip) }) else { return }
        if counter.open(ip) {
            address = ip
        } else {
            logger.warning("connection refused: too many from one address", metadata: ["ip": "\(ip)", "limit": "\(counter.limit)"])
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    private func release() {
        deadline?.cancel()
        deadline = nil
        if let address {
            counter.close(address)
            self.address = nil
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        switch phase {
        case .idle:
            startHeaderDeadline(context)
            scan(buffer, matched: 0)
        case .readingHeader(let matched):
            scan(buffer, matched: matched)
        case .inRequest:
            break
        }
        if case .inRequest = phase {
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    /// An answer going out ends the request as far as header reading is concerned.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .inRequest = phase { phase = .idle }
        context.write(data, promise: promise)
    }

    /// Looks for the `\r\n\r\n` that ends a header block, carrying a partial match across reads.
    /// (Only `\r` can restart the pattern, so a mismatch falls back to 1 or 0.)
    private func scan(_ buffer: ByteBuffer, matched start: Int) {
        var matched = start
        for byte in buffer.readableBytesView {
            if byte == (matched % 2 == 0 ? 13 : 10) {
                matched += 1
                if matched == 4 {
                    phase = .inRequest
                    return
                }
            } else {
                matched = byte == 13 ? 1 : 0
            }
        }
        phase = .readingHeader(matched: matched)
    }

    private func startHeaderDeadline(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: headerTimeout) { [weak self] in
            guard let self, case .readingHeader = self.phase else { return }
            self.logger.info("connection closed: request header not received in time", metadata: ["ip": "\(self.address ?? "-")"])
            loopBound.value.close(promise: nil)
        }
    }
}
