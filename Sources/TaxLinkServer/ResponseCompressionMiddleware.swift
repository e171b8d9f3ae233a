import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Compresses answers with gzip when the client accepts it (`Accept-Encoding: gzip`, not `q=0`).
///
/// Only text-like media types (HTML, CSV, JSON, NDJSON, problem+json, XML, SVG, plain text) of at least
/// ``minimumBytes`` (or of unknown length) are compressed, never a `HEAD` answer, a `204`/`304`, or an
/// answer that already has a `Content-Encoding`. A streamed body stays streamed: every part written is
/// compressed and flushed (`Z_SYNC_FLUSH`) as it comes, so the client gets it at once and memory stays
/// bounded. Compressible answers carry `Vary: Accept-Encoding` whether compressed or not.
///
/// Workbench pages hold a CSRF token beside text from the URL; the session cookie is `SameSite=Strict`,
/// so another site cannot have a browser fetch such a page with its session to measure compressed
/// sizes (BREACH).
struct ResponseCompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Bodies smaller than this are sent as they are.
    static var minimumBytes: Int { 512 }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        guard Self.isCompressible(response) else { return response }
        response.headers[values: .vary].append("Accept-Encoding")
        guard request.method != .head, Self.acceptsGzip(request.headers[values: .acceptEncoding]),
            response.body.contentLength.map({ $0 >= Self.minimumBytes }) ?? true
        else { return response }
        let body = response.body
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = nil
        response.body = ResponseBody { writer in
            let compressing = try GzipBodyWriter(parent: writer)
            try await body.write(compressing)
        }
        return response
    }

    /// Whether `Accept-Encoding` lists `gzip` (or `*`) with a quality above zero.
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzip: Bool?
        var any = false
        for item in values.flatMap({ $0.split(separator: ",") }) {
            let fields = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = fields.first else { continue }
            let quality = fields.dropFirst().first { $0.hasPrefix("q=") }.map { Double($0.dropFirst(2)) }
            let refused = quality.map { $0 == nil || $0 == 0 } ?? false
            if coding == "gzip" || coding == "x-gzip" { gzip = !refused }
            if coding == "*" { any = !refused }
        }
        return gzip ?? any
    }

    private static func isCompressible(_ response: Response) -> Bool {
        guard response.status != .noContent, response.status != .notModified,
            response.headers[.contentEncoding] == nil,
            let type = response.headers[.contentType]?.split(separator: ";").first?.lowercased()
        else { return false }
        return type.hasPrefix("text/") || type.hasSuffix("json") || type.hasSuffix("xml")
    }
}

/// Writes a body through a gzip stream to the writer underneath.
private struct GzipBodyWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter
    let compressor: ZlibCompressor

    init(parent: any ResponseBodyWriter) throws {
        self.parent = parent
        self.compressor = try ZlibCompressor(algorithm: .gzip)
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        var input = buffer
        guard input.readableBytes > 0 else { return }
        try await deflate(&input, flush: .sync)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        var input = ByteBufferAllocator().buffer(capacity: 1)
        try await deflate(&input, flush: .finish)
        try await parent.finish(trailingHeaders)
    }

    /// Deflates all of `input` and writes what comes out, with more room while zlib asks for it.
    private mutating func deflate(_ input: inout ByteBuffer, flush: CompressNIOFlush) async throws {
        var room = max(compressor.maxSize(from: input), 64)
        while true {
            var output = ByteBufferAllocator().buffer(capacity: room)
            var full = false
            do {
                try compressor.deflate(from: &input, to: &output, flush: flush)
                full = output.writableBytes == 0
            } catch let error as CompressNIOError where error == .bufferOverflow {
                // `finish` wants more room; a flush with nothing left to give has nothing more to say.
                full = flush == .finish || input.readableBytes > 0
            }
            if output.readableBytes > 0 { try await parent.write(output) }
            guard full else { return }
            room *= 2
        }
    }
}
