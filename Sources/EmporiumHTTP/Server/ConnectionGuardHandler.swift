import EmporiumCore
import Logging
import NIOCore

/// First handler of every connection, on raw bytes: refuses a connection past the per-address cap;
/// closes one whose request header block is not complete within `headerTimeout` of its first byte
/// (a slow-header client), for every request on the connection, pipelined ones included
/// (`RequestFraming` tells where each begins); and closes one whose client stops reading an answer
/// for `writeTimeout` (a slow reader: the send buffer stays above its high-water mark, so the
/// answer's writer is suspended and the connection is held for nothing). The body deadline is
/// `RequestBodyDeadlineHandler`'s, the idle one Hummingbird's own.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private let counter: ClientConnectionCounter
    private let headerTimeout: TimeAmount
    private let writeTimeout: TimeAmount
    private let exempt: [IPNetwork]
    private let logger: Logger
    private var address: String?
    private var framing = RequestFraming()
    private var headerDeadline: Scheduled<Void>?
    private var writeDeadline: Scheduled<Void>?

    init(counter: ClientConnectionCounter, headerTimeout: TimeAmount, writeTimeout: TimeAmount, exempt: [IPNetwork], logger: Logger) {
        self.counter = counter
        self.headerTimeout = headerTimeout
        self.writeTimeout = writeTimeout
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
        headerDeadline?.cancel()
        headerDeadline = nil
        writeDeadline?.cancel()
        writeDeadline = nil
        if let address {
            counter.close(address)
            self.address = nil
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let step = framing.consume(unwrapInboundIn(data).readableBytesView)
        if step.headerCompleted {
            headerDeadline?.cancel()
            headerDeadline = nil
        }
        // A header block still open: its deadline runs from its first byte (set once per block).
        if step.headerPending, headerDeadline == nil {
            startHeaderDeadline(context)
        }
        context.fireChannelRead(data)
    }

    /// An answer going out ends a request whose body was not counted.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        framing.answered()
        context.write(data, promise: promise)
    }

    /// Unwritable: the client has not taken what was sent and the answer's writer waits. Writable
    /// again: the buffer drained below its low-water mark, which is progress.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            writeDeadline?.cancel()
            writeDeadline = nil
        } else if writeDeadline == nil {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            writeDeadline = context.eventLoop.scheduleTask(in: writeTimeout) { [weak self] in
                guard let self else { return }
                self.writeDeadline = nil
                guard !loopBound.value.channel.isWritable else { return }
                self.logger.info("connection closed: the client stopped reading the answer", metadata: ["ip": "\(self.address ?? "-")"])
                loopBound.value.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    private func startHeaderDeadline(_ context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        headerDeadline = context.eventLoop.scheduleTask(in: headerTimeout) { [weak self] in
            guard let self else { return }
            self.headerDeadline = nil
            guard case .header = self.framing.state else { return }
            self.logger.info("connection closed: request header not received in time", metadata: ["ip": "\(self.address ?? "-")"])
            loopBound.value.close(promise: nil)
        }
    }
}
