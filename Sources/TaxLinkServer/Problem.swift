import Logging
import Foundation
import HTTPTypes
import Hummingbird
import TaxLinkCore

/// An error answered as `application/problem+json` (RFC 9457). Every error that reaches a client
/// becomes one of these in ``ProblemMiddleware``; handlers never build error responses by hand.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// Item-level errors, when there are several.
    public var errors: [String]

    public init(_ status: HTTPResponse.Status, title: String? = nil, detail: String, errors: [String] = []) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
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

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(json))))
    }
}

/// Turns every error into problem+json: ours as they are, Hummingbird's (404, 413, …) by status,
/// anything else as a 500 that names no internals.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as any HTTPResponseError {
            let detail: String
            switch error.status {
            case .notFound: detail = "no resource at \(request.uri.path)"
            case .contentTooLarge: detail = "the body exceeds the configured limit"
            case .methodNotAllowed: detail = "\(request.method) is not allowed on \(request.uri.path)"
            default: detail = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            }
            throw Problem(error.status, detail: detail)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            throw Problem(.internalServerError, detail: "the server could not complete the request; see its log")
        }
    }
}
