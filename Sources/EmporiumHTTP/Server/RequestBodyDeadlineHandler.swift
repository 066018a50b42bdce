import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body does not arrive in full within `timeout` of its header
/// (a slow-body client). Added after HTTP decoding, so it sees request heads and ends.
/// Every `progressBytes` received give the body another `timeout`: a shop's file uploaded to a
/// node (`POST /platform/tenants/import`, gigabytes) is a large body, not a slow one; a trickle
/// below `progressBytes` per `timeout` is still cut off.
final class RequestBodyDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    static let progressBytes = 1 << 20

    private let timeout: TimeAmount
    private let logger: Logger
    private var deadline: Scheduled<Void>?
    /// Body bytes received since the deadline was last set.
    private var received = 0

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            arm(context: context)
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body(let chunk):
            received += chunk.readableBytes
            if received >= Self.progressBytes, deadline != nil { arm(context: context) }
        }
        context.fireChannelRead(data)
    }

    private func arm(context: ChannelHandlerContext) {
        deadline?.cancel()
        received = 0
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let logger = self.logger
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            logger.info("connection closed: request body not received in time")
            loopBound.value.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}
