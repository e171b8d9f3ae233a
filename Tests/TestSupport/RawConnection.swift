import NIOCore
import NIOPosix

/// A plain TCP connection to a server on loopback, to send requests byte by byte, half-sent or short.
///
/// The bytes are written on the event loop the moment the connection opens, so a busy test process
/// cannot delay them past a server's header timeout; the close is observed there too.
public struct RawConnection: Sendable {
    let port: Int

    /// A connection to `port` on 127.0.0.1, opened by ``send(_:thenAwaitCloseWithin:)`` or
    /// ``sendAndHangUp(_:)``.
    public static func open(port: Int) async throws -> RawConnection {
        RawConnection(port: port)
    }

    /// What the server sent until it closed the connection, and how long that took from the write.
    public struct Outcome: Sendable {
        /// Everything the server sent.
        public var received: String
        /// The time from the write to the close.
        public var closedAfter: Duration
    }

    /// Sends `text`, then reads until the server closes the connection; `nil` when it did not close
    /// within `limit` (the connection is then closed by the client).
    public func send(_ text: String, thenAwaitCloseWithin limit: Duration = .seconds(15)) async throws -> Outcome? {
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.any().makePromise(of: Outcome?.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Exchange(text: text, outcome: promise))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
        } catch {
            promise.fail(error)
            throw error
        }
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(limit)) {
            promise.succeed(nil)
            channel.close(promise: nil)
        }
        let outcome = try await promise.futureResult.get()
        timer.cancel()
        return outcome
    }

    /// Sends `text` and closes the connection at once, as a client that gives up mid-request. Only a
    /// failed connect is an error: the server may close or reset its side first, as it likes.
    public func sendAndHangUp(_ text: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try? await channel.writeAndFlush(ByteBuffer(string: text)).get()
        try? await channel.close().get()
    }
}

/// Writes the request when the connection opens and collects the answer until the close.
private final class Exchange: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    let text: String
    let outcome: EventLoopPromise<RawConnection.Outcome?>
    var received = ByteBuffer()
    var sent = ContinuousClock.now

    init(text: String, outcome: EventLoopPromise<RawConnection.Outcome?>) {
        self.text = text
        self.outcome = outcome
    }

    func channelActive(context: ChannelHandlerContext) {
        sent = .now
        context.writeAndFlush(NIOAny(ByteBuffer(string: text)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
    }

    func channelInactive(context: ChannelHandlerContext) {
        outcome.succeed(RawConnection.Outcome(received: String(buffer: received), closedAfter: .now - sent))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)  // a reset is a close as well
    }
}
