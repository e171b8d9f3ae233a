import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import TaxLinkCore

/// Answers a request the HTTP parser cannot read (a bad request line, header or chunk size) with a
/// 400 problem document and closes the connection, where Hummingbird would answer 400 with an empty
/// body. A parse error inside a body that a route is reading reaches that route instead, and the
/// problem mapping answers it.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests whose answer has not been written to its end.
    private var openRequests = 0
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { openRequests += 1 }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { openRequests = max(0, openRequests - 1) }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, openRequests == 0 else {
            context.fireErrorCaught(error)
            return
        }
        guard !answered else { return }
        answered = true
        let problem = Problem(.badRequest, detail: "the request is not readable HTTP/1.1 (\(parserError))")
        let body = ByteBuffer(bytes: CanonicalJSON.encode(problem.json))
        var fields = HTTPFields()
        fields[.contentType] = Problem.contentType
        fields[.contentLength] = String(body.readableBytes)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .badRequest, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}

@available(*, unavailable)
extension MalformedRequestHandler: Sendable {}
