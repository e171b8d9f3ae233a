import HTTPTypes

/// Why the server refused a request, before or beside the work of other modules: a token, a path, a
/// method, a media type, a parameter or the body's transfer.
///
/// Match on ``code`` to decide what to do; ``message`` says what is wrong in words the caller can act
/// on. ``Problem`` turns it into `application/problem+json` with the status of its code.
public struct RequestError: Error, Sendable, CustomStringConvertible {
    /// The kind of refusal. New kinds may be added; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Kind: String, Sendable, Hashable {
            case unauthorized
            case forbidden
            case notFound = "not-found"
            case methodNotAllowed = "method-not-allowed"
            case unsupportedMediaType = "unsupported-media-type"
            case invalidParameter = "invalid-parameter"
            case invalidBody = "invalid-body"
            case bodyTimeout = "body-timeout"
            case contentTooLarge = "content-too-large"
            case unavailable
            case signInRequired = "sign-in-required"
        }

        fileprivate let kind: Kind

        /// No bearer token, or an unknown one (401).
        public static let unauthorized = Code(kind: .unauthorized)
        /// A known token outside its role or source (403).
        public static let forbidden = Code(kind: .forbidden)
        /// No such path or resource (404).
        public static let notFound = Code(kind: .notFound)
        /// The path exists, not with this method (405).
        public static let methodNotAllowed = Code(kind: .methodNotAllowed)
        /// The body's `Content-Type` is not one the path takes (415).
        public static let unsupportedMediaType = Code(kind: .unsupportedMediaType)
        /// A path or query parameter is malformed (400).
        public static let invalidParameter = Code(kind: .invalidParameter)
        /// The body is malformed (400).
        public static let invalidBody = Code(kind: .invalidBody)
        /// The body stopped before its end (400).
        public static let bodyTimeout = Code(kind: .bodyTimeout)
        /// The body exceeds the configured limit (413).
        public static let contentTooLarge = Code(kind: .contentTooLarge)
        /// A part the request needs is not available (503).
        public static let unavailable = Code(kind: .unavailable)
        /// A workbench page asked for without a valid session: `303 See Other` to the sign-in form.
        public static let signInRequired = Code(kind: .signInRequired)

        /// A short stable name of the code (`invalid-parameter`, `body-timeout`, …).
        public var description: String { kind.rawValue }

        /// The HTTP status of the code.
        var status: HTTPResponse.Status {
            switch kind {
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .unsupportedMediaType: .unsupportedMediaType
            case .invalidParameter, .invalidBody, .bodyTimeout: .badRequest
            case .contentTooLarge: .contentTooLarge
            case .unavailable: .serviceUnavailable
            case .signInRequired: .seeOther
            }
        }
    }

    /// The kind of refusal.
    public let code: Code
    /// What is wrong and what to do about it.
    public let message: String
    /// The error underneath, when there is one.
    public let cause: (any Error & Sendable)?
    /// The methods the path takes, for ``Code/methodNotAllowed`` (sent as `Allow`).
    public let allowedMethods: [HTTPRequest.Method]

    init(
        _ code: Code, _ message: String, cause: (any Error & Sendable)? = nil, allowedMethods: [HTTPRequest.Method] = []
    ) {
        self.code = code
        self.message = message
        self.cause = cause
        self.allowedMethods = allowedMethods
    }

    public var description: String { "\(code): \(message)" }

    /// A path or query parameter that is malformed, named in the message.
    public static func invalidParameter(_ name: String, _ problem: String) -> RequestError {
        RequestError(.invalidParameter, "\(name): \(problem)")
    }

    /// A body that did not arrive whole: nothing came for `idle` while the server waited for more.
    public static func bodyTimeout(after idle: Duration) -> RequestError {
        RequestError(
            .bodyTimeout,
            "the request body stopped before its end: nothing arrived for \(idle); send the whole body "
                + "as its Content-Length says")
    }
}
