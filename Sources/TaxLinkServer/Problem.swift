import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TaxLinkCore

/// An error answered as `application/problem+json` (RFC 9457). Every error that reaches a client
/// becomes one of these in ``ProblemMiddleware``, through the one mapping ``init(_:)``; handlers throw
/// their errors and never build error responses by hand.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// Item-level errors, when there are several.
    public var errors: [String]
    /// Headers the answer carries besides `Content-Type` (`Allow`, `WWW-Authenticate`).
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, title: String? = nil, detail: String, errors: [String] = [],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
        self.headers = headers
        if status == .unauthorized { self.headers[.wwwAuthenticate] = "Bearer" }
    }

    /// The problem document.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            (key: "type", value: .string("about:blank")),
            (key: "title", value: .string(title)),
            (key: "status", value: .int(status.code)),
            (key: "detail", value: .string(detail)),
        ]
        if !errors.isEmpty { members.append((key: "errors", value: .array(errors.map { .string($0) }))) }
        return .object(JSONObject(members))
    }

    /// The media type of every error answer.
    static let contentType = "application/problem+json"

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = Self.contentType
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(json))))
    }
}

/// Turns every error into problem+json through ``Problem/init(_:)``; an error it does not know becomes
/// a 500 that names no internals (the error itself goes to the log).
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error, method: request.method, path: request.uri.path)
            if problem.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            throw problem
        }
    }
}
