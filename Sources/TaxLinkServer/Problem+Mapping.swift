import HTTPTypes
import Hummingbird
import NIOHTTP1
import TaxLinkAdapters
import TaxLinkReconcile
import TaxLinkStore

extension Problem {
    /// The one mapping from an error to its answer: the server's own ``RequestError``, the errors of the
    /// feeds, findings and reports, and Hummingbird's own errors each get their status here. Any other
    /// error is a 500 that names no internals.
    ///
    /// `method` and `path` are the request's, named in the 404 and 405 answers.
    public init(_ error: any Error, method: HTTPRequest.Method, path: String) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as RequestError:
            var headers = HTTPFields()
            if !error.allowedMethods.isEmpty {
                headers[.allow] = error.allowedMethods.map(\.rawValue).joined(separator: ", ")
            }
            if error.code == .unavailable { headers[.retryAfter] = Self.retryAfterSeconds }
            if error.code == .signInRequired { headers[.location] = WorkbenchSessions.signInPath }
            self.init(error.code.status, detail: error.message, headers: headers)
        case let error as FeedError:
            let status: HTTPResponse.Status =
                error.isUnknownSource
                ? .notFound
                : error.isUnsupportedFormat ? .unsupportedMediaType : error.isTooLarge ? .contentTooLarge : .badRequest
            self.init(status, detail: error.message)
        case let error as ReconcileError
        where error.isInvalidArgument || error.isNotFound || error.isInvalidTransition || error.isConcurrentChange:
            let status: HTTPResponse.Status =
                error.isNotFound ? .notFound : error.isInvalidArgument ? .badRequest : .conflict
            self.init(status, detail: error.message)
        case let error as PostgresStoreError where error.isUnavailable:
            // The database does not answer: nothing was stored, the sender tries again later.
            self.init(.serviceUnavailable, detail: error.message, headers: [.retryAfter: Self.retryAfterSeconds])
        case let error as HTTPParserError:
            self.init(.badRequest, detail: "the request is not readable HTTP/1.1 (\(error))")
        case let error as any HTTPResponseError:
            self = Self.hummingbird(error, method: method, path: path)
        default:
            self.init(.internalServerError, detail: "the server could not complete the request; see its log")
        }
    }

    /// How long a sender waits before trying again after a 503, in seconds (`Retry-After`).
    static let retryAfterSeconds = "5"

    /// Hummingbird's own errors (no route, a body over the limit, a missing parameter) in our words.
    private static func hummingbird(_ error: any HTTPResponseError, method: HTTPRequest.Method, path: String)
        -> Problem
    {
        let message = (error as? HTTPError)?.body
        switch error.status {
        case .notFound:
            guard let allowed = AllowedMethods.methods(for: path), !allowed.contains(method) else {
                return Problem(RequestError(.notFound, "no resource at \(path)"), method: method, path: path)
            }
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            let refusal = RequestError(
                .methodNotAllowed, "\(method) is not allowed on \(path); use \(names)", allowedMethods: allowed)
            return Problem(refusal, method: method, path: path)
        case .contentTooLarge:
            return Problem(.contentTooLarge, detail: message ?? "the body exceeds the configured limit")
        default:
            return Problem(error.status, detail: message ?? "the request cannot be served: \(error.status.reasonPhrase)")
        }
    }
}
