import NIOCore
import NIOPosix

/// A plain TCP connection to a server on loopback, to send requests byte by byte, half-sent or short.
public struct RawConnection {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// Connects to `port` on 127.0.0.1.
    public static func open(port: Int) async throws -> RawConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawConnection(channel: channel)
    }

    /// What the server sent until it closed the connection, and how long that took from the last write;
    /// `nil` when it did not close within `limit` (the connection is then closed by the client).
    public struct Outcome: Sendable {
        /// Everything the server sent.
        public var received: String
        /// The time from the last write to the close.
        public var closedAfter: Duration
    }

    /// Sends `text` and closes the connection at once, as a client that gives up mid-request.
    public func sendAndHangUp(_ text: String) async throws {
        try await channel.executeThenClose { _, outbound in
            try await outbound.write(ByteBuffer(string: text))
        }
    }

    /// Sends `text`, then reads until the server closes the connection or `limit` passes.
    public func send(_ text: String, thenAwaitCloseWithin limit: Duration = .seconds(5)) async throws -> Outcome? {
        try await channel.executeThenClose { inbound, outbound in
            do {
                try await outbound.write(ByteBuffer(string: text))
            } catch let error as ChannelError where error == .ioOnClosedChannel || error == .outputClosed {
                return Outcome(received: "", closedAfter: .zero)  // closed before the request was sent
            }
            let clock = ContinuousClock()
            let sent = clock.now
            return try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask {
                    var received = ByteBuffer()
                    do {
                        for try await chunk in inbound { received.writeImmutableBuffer(chunk) }
                    } catch {
                        // a reset is a close as well
                    }
                    return Outcome(received: String(buffer: received), closedAfter: clock.now - sent)
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }
}
