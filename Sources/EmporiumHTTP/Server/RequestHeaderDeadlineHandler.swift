import Logging
import NIOCore

/// Closes a connection whose request header block is not complete within `timeout` of its first
/// byte (a slow-header client), for every request on the connection, pipelined ones included
/// (`RequestFraming` tells where each begins). It reads the request bytes as the client sent them:
/// right after the connection guard on a plain connection, after TLS on an encrypted one (before
/// it, it timed ciphertext, which has no header to find, and closed every TLS connection
/// `HEADER_TIMEOUT` after its first byte, idle or in the middle of a long answer). A stalled TLS
/// handshake is closed by the idle timeout.
final class RequestHeaderDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private let timeout: TimeAmount
    private let logger: Logger
    private var framing = RequestFraming()
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let step = framing.consume(unwrapInboundIn(data).readableBytesView)
        if step.headerCompleted {
            deadline?.cancel()
            deadline = nil
        }
        // A header block still open: its deadline runs from its first byte (set once per block).
        if step.headerPending, deadline == nil {
            arm(context)
        }
        context.fireChannelRead(data)
    }

    /// An answer going out ends a request whose body was not counted.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        framing.answered()
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    private func cancel() {
        deadline?.cancel()
        deadline = nil
    }

    private func arm(_ context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let address = context.channel.remoteAddress?.ipAddress ?? "-"
        deadline = context.eventLoop.scheduleTask(in: timeout) { [weak self] in
            guard let self else { return }
            self.deadline = nil
            guard case .header = self.framing.state else { return }
            self.logger.info("connection closed: request header not received in time", metadata: ["ip": "\(address)"])
            loopBound.value.close(promise: nil)
        }
    }
}
