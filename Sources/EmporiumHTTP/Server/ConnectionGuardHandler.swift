import EmporiumCore
import Logging
import NIOCore

/// First handler of every connection, on raw bytes: refuses a connection past the per-address cap,
/// and closes one whose client stops reading an answer for `writeTimeout` (a slow reader: the send
/// buffer stays above its high-water mark, so the answer's writer is suspended and the connection
/// is held for nothing). The header deadline is `RequestHeaderDeadlineHandler`'s, the body deadline
/// `RequestBodyDeadlineHandler`'s, the idle one Hummingbird's own.
final class ConnectionGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let counter: ClientConnectionCounter
    private let writeTimeout: TimeAmount
    private let exempt: [IPNetwork]
    private let logger: Logger
    private var address: String?
    private var writeDeadline: Scheduled<Void>?

    init(counter: ClientConnectionCounter, writeTimeout: TimeAmount, exempt: [IPNetwork], logger: Logger) {
        self.counter = counter
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
        writeDeadline?.cancel()
        writeDeadline = nil
        if let address {
            counter.close(address)
            self.address = nil
        }
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
}
