import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkStore

/// `GET /v1/feeds/{id}` (a stored feed and its summary) and `GET /v1/feeds/{id}/rejections` (every
/// rejected item, paged). Readable by the platform or gateway that pushed the feed, analysts and
/// operators.
struct FeedReadRoutes<Context: RequestContext>: Sendable {
    /// The largest page of rejections.
    static var maximumPage: Int { FeedSummary.answeredRejections }

    let storage: any Storage
    let authorizer: Authorizer

    func register(on router: Router<Context>) {
        router.get("/v1/feeds/:id") { request, context in
            let feed = try await authorizedFeed(request, context: context)
            return Self.json(feed.json)
        }
        router.get("/v1/feeds/:id/rejections") { request, context in
            let feed = try await authorizedFeed(request, context: context)
            let limit = try Self.integer(request, "limit", default: Self.maximumPage, in: 1...Self.maximumPage)
            let offset = try Self.integer(request, "offset", default: 0, in: 0...Int.max)
            let page = try await storage.feedRejections(feed.id, limit: limit, offset: offset)
            return Self.json(
                .object([
                    "feed_id": .string(feed.id),
                    "total": .int(feed.summary?.rejectedTotal ?? 0),
                    "limit": .int(limit),
                    "offset": .int(offset),
                    "rejected": .array(page.map(\.json)),
                ])
            )
        }
    }

    /// The feed named in the path, once the caller may read it: 401 without a known token, and 404
    /// both for an unknown feed and for one the caller may not read (a platform or gateway that did
    /// not push it), with the same answer, so that a token cannot probe which feed ids exist.
    private func authorizedFeed(_ request: Request, context: Context) async throws -> StoredFeed {
        let role = try authorizer.role(of: request)
        let id = try context.parameters.require("id")
        guard let feed = try await storage.feed(id), [.analyst, .operator, Self.pusher(of: feed)].contains(role) else {
            throw RequestError(.notFound, "no feed '\(id)'")
        }
        return feed
    }

    /// The role that may push to the feed's source: `gateway:NAME` for settlements, else `platform:NAME`.
    private static func pusher(of feed: StoredFeed) -> Role {
        let parts = feed.source.split(separator: "/", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        return parts.last == "settlements" ? .gateway(name) : .platform(name)
    }

    private static func integer(
        _ request: Request,
        _ name: String,
        default value: Int,
        in range: ClosedRange<Int>
    ) throws(RequestError) -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw RequestError.invalidParameter(
                name, "expected an integer from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
        }
        return number
    }

    private static func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value)))
        )
    }
}
