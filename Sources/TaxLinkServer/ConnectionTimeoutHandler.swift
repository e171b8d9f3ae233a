import Logging
import NIOCore
import NIOHTTPTypes

/// Applies ``ServerConfiguration/Timeouts`` to one HTTP/1 connection (the rules are in
/// ``ConnectionTimeoutState``).
///
/// It sits after the HTTP decoder, so it sees request heads, body parts and ends, the server's requests
/// for more data (`read`) and every socket read (`channelReadComplete`). A request whose body stalls is
/// failed with ``RequestError/bodyTimeout``, which reaches the route through the body stream and is
/// answered 400 like any other error; the connection is closed once that answer is written.
final class ConnectionTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var state: ConnectionTimeoutState
    private var scheduled: Scheduled<Void>?
    private var scheduledAt: ContinuousClock.Instant?
    private let logger: Logger

    init(timeouts: ServerConfiguration.Timeouts, logger: Logger) {
        self.state = ConnectionTimeoutState(timeouts: timeouts)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        scheduled?.cancel()
        scheduled = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: state.headRead()
        case .body: state.bodyRead()
        case .end: state.endRead(at: .now)
        }
        schedule(context)
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        state.bytesArrived(at: .now)
        schedule(context)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        state.readRequested(at: .now)
        schedule(context)
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        if state.answerWritten(at: .now) {
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
        } else {
            context.write(data, promise: promise)
            schedule(context)
        }
    }

    private func opened(_ context: ChannelHandlerContext) {
        state.opened(at: .now)
        schedule(context)
    }

    /// Makes sure a check is scheduled no later than the state's deadline.
    private func schedule(_ context: ChannelHandlerContext) {
        guard let deadline = state.deadline else { return }
        if let scheduledAt, scheduledAt <= deadline { return }
        scheduled?.cancel()
        scheduledAt = deadline
        scheduled = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: TimeAmount(deadline - .now)) {
            self.scheduled = nil
            self.scheduledAt = nil
            self.deadlineReached(context)
        }
    }

    private func deadlineReached(_ context: ChannelHandlerContext) {
        switch state.deadlineReached(at: .now) {
        case .nothing:
            break
        case .wait:
            schedule(context)
        case .close:
            logger.debug("connection timed out waiting for the client; closing")
            context.close(promise: nil)
        case .failRequest:
            logger.debug("request body stalled; failing the request")
            context.fireErrorCaught(RequestError.bodyTimeout(after: state.timeouts.bodyIdle))
            schedule(context)
        }
    }
}

@available(*, unavailable)
extension ConnectionTimeoutHandler: Sendable {}
