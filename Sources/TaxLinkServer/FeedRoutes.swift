import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

/// The push routes of platforms and gateways: adapter, store, then `202` with the ingest summary.
///
/// A push's body is collected in memory, up to the body limit (413 beyond it, before anything is
/// stored), and only then ingested. A feed is written in one database transaction, which holds the
/// store's single writer until it commits: streaming the body into it would let a slow or stalled
/// client hold every other feed back for as long as it likes, and a cut-off body would cost a
/// rollback. Collected first, a feed holds the writer only for the time the connector itself needs
/// to adapt and write it, and memory stays bounded by the body limit (the body, plus one chunk of
/// items being adapted and written: see ``Ingestor``). `taxlink ingest` streams NDJSON and JSON files.
///
/// Concurrent pushes are not queued here: each feed registers itself (a short write) as it starts
/// and adapts its items while the feeds before it are written, so by the time the store's writer
/// reaches a feed of one chunk, its items are ready (a gate admitting a few feeds at a time was
/// measured and lost that overlap: a feed's registration waits behind the feed being written).
struct FeedRoutes<Context: RequestContext>: Sendable {
    let ingestor: Ingestor
    let authorizer: Authorizer
    let maximumBodyBytes: Int
    let telemetry: Telemetry
    let onFeedStored: @Sendable () -> Void

    func register(on router: Router<Context>) {
        router.post("/v1/platforms/:platform/:kind") { request, context in
            let platform = try context.parameters.require("platform").lowercased()
            let kind = try context.parameters.require("kind").lowercased()
            guard ["orders", "returns", "declarations"].contains(kind) else {
                throw RequestError(.notFound, "no resource at \(request.uri.path)")
            }
            try authorizer.require(request, oneOf: [.platform(platform)])
            return try await ingest(request, context: context, path: "\(platform)/\(kind)")
        }
        router.post("/v1/gateways/:gateway/settlements") { request, context in
            let gateway = try context.parameters.require("gateway").lowercased()
            try authorizer.require(request, oneOf: [.gateway(gateway)])
            return try await ingest(request, context: context, path: "\(gateway)/settlements")
        }
    }

    private func ingest(_ request: Request, context: Context, path: String) async throws -> Response {
        let format = try bodyFormat(of: request)
        let source = try FeedSource(path: path, format: format)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBodyBytes {
            throw RequestError(
                .contentTooLarge, "the body of \(length) bytes exceeds the limit of \(maximumBodyBytes)")
        }
        let receivedAt = Timestamp.now
        let body = try await collect(request)
        let summary = try await ingestor.ingest(source: source, format: format, body: body, receivedAt: receivedAt)
        telemetry.feedIngested(source: source, summary: summary)
        context.logger.info(
            "feed stored",
            metadata: [
                "feed_id": "\(summary.feedID)", "source": "\(source)", "accepted": "\(summary.accepted)",
                "rejected": "\(summary.rejectedTotal)",
            ]
        )
        onFeedStored()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: .accepted,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(summary.json)))
        )
    }

    /// The whole body, before the feed starts (see the type's documentation); 413 past the limit.
    private func collect(_ request: Request) async throws -> [UInt8] {
        var buffer = try await request.body.collect(upTo: maximumBodyBytes)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    private func bodyFormat(of request: Request) throws(RequestError) -> FeedSource.BodyFormat {
        let mediaType = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        switch mediaType {
        case "application/json": return .json
        case "application/x-ndjson", "application/ndjson": return .ndjson
        case "text/csv": return .csv
        default:
            throw RequestError(
                .unsupportedMediaType,
                "Content-Type must be application/json, application/x-ndjson or text/csv, not \(mediaType ?? "none")"
            )
        }
    }
}
