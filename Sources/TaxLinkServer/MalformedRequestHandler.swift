import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import TaxLinkCore

/// Answers a request the HTTP parser cannot read (a bad request line, header or chunk size) with a
/// 400 problem document and closes the connection, where Hummingbird would answer 400 with an empty
/// body. Unreadable bytes pipelined behind a request still being answered are answered the same way,
/// right after that request's answer. A parse error inside a body that a route is reading reaches that
/// route instead, and the problem mapping answers it.
final class MalformedRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Requests whose answer has not been written to its end.
    private var openRequests = 0
    /// Whether a request's head has arrived and its end not yet: its body is still being read.
    private var readingBody = false
    /// The parse error of unreadable input, once seen: answered when no answer is in flight.
    private var unreadable: HTTPParserError?
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            openRequests += 1
            readingBody = true
        case .end: readingBody = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        openRequests = max(0, openRequests - 1)
        context.write(data, promise: promise)
        if openRequests == 0, let unreadable { answer(unreadable, context: context) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if unreadable != nil, error is ByteToMessageDecoderError {
            return  // more bytes after the unreadable ones: the connection closes once they are answered
        }
        guard let parserError = error as? HTTPParserError, !readingBody else {
            context.fireErrorCaught(error)
            return
        }
        guard unreadable == nil else { return }
        unreadable = parserError
        if openRequests == 0 { answer(parserError, context: context) }
    }

    /// Writes the 400 problem document of `parserError`, then closes the connection.
    private func answer(_ parserError: HTTPParserError, context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        // An unreadable request has no method or path; the mapping of a parse error names neither.
        let problem = Problem(parserError, method: .get, path: "")
        let body = ByteBuffer(bytes: CanonicalJSON.encode(problem.json))
        var fields = problem.headers
        fields[.contentType] = Problem.contentType
        fields[.contentLength] = String(body.readableBytes)
        fields[.connection] = "close"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: problem.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}

@available(*, unavailable)
extension MalformedRequestHandler: Sendable {}
