import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TaxLinkCore

/// An error answered as `application/problem+json` (RFC 9457): the one place where the mock's
/// HTTP errors get their shape.
struct MinistryProblem: Error, HTTPResponseError, Sendable {
    /// One field-level error, listed in the problem's `errors`.
    struct FieldError: Sendable {
        /// A JSON pointer to the offending member (`/records/3/revision`), or the header name.
        var pointer: String
        /// What is wrong with it.
        var detail: String
    }

    let status: HTTPResponse.Status
    /// A short slug naming the kind of problem, the last part of `type`.
    let slug: String
    let detail: String
    var errors: [FieldError] = []
    var headers = HTTPFields()

    init(_ status: HTTPResponse.Status, _ slug: String, _ detail: String, errors: [FieldError] = []) {
        self.status = status
        self.slug = slug
        self.detail = detail
        self.errors = errors
    }

    /// The problem document.
    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("type", .string("urn:ministry-mock:problem:\(slug)")),
            ("title", .string(Self.title(of: status))),
            ("status", .int(status.code)),
            ("detail", .string(detail)),
        ]
        if !errors.isEmpty {
            members.append(
                (
                    "errors",
                    .array(errors.map { .object(["pointer": .string($0.pointer), "detail": .string($0.detail)]) })
                )
            )
        }
        return .object(JSONObject(members))
    }

    /// The reason phrase of `status`, also for statuses built from a bare code.
    static func title(of status: HTTPResponse.Status) -> String {
        if !status.reasonPhrase.isEmpty { return status.reasonPhrase }
        let known: [HTTPResponse.Status] = [
            .badRequest, .unauthorized, .forbidden, .notFound, .conflict, .contentTooLarge, .tooManyRequests,
            .internalServerError, .notImplemented, .badGateway, .serviceUnavailable, .gatewayTimeout,
        ]
        return known.first { $0.code == status.code }?.reasonPhrase ?? "HTTP \(status.code)"
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(json)))
        )
    }
}

extension MinistryProblem {
    static func unauthorized(_ slug: String, _ detail: String) -> MinistryProblem {
        MinistryProblem(.unauthorized, slug, detail)
    }

    static func badRequest(_ detail: String, errors: [FieldError] = []) -> MinistryProblem {
        MinistryProblem(.badRequest, "invalid-batch", detail, errors: errors)
    }

    static func tooLarge(_ detail: String) -> MinistryProblem {
        MinistryProblem(.contentTooLarge, "too-large", detail)
    }
}

/// Maps every error of the routes to problem+json, so no client ever sees another error shape.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as MinistryProblem {
            return try problem.response(from: request, context: context)
        } catch is ConnectionDrop {
            throw ConnectionDrop()
        } catch let error as any HTTPResponseError {
            let problem = MinistryProblem(
                error.status,
                error.status == .notFound ? "not-found" : "http-error",
                error.status == .notFound
                    ? "no route for \(request.method) \(request.uri.path)" : "the request failed: \(error)"
            )
            return try problem.response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            let problem = MinistryProblem(.internalServerError, "internal", "the mock failed: \(error)")
            return try problem.response(from: request, context: context)
        }
    }
}

/// Thrown after the connection was closed on purpose: no answer is written.
struct ConnectionDrop: Error {}
