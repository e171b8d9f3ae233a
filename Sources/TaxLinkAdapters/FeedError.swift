import TaxLinkCore

/// A feed that cannot be read at all (as opposed to one bad item in it): the whole push is refused
/// with 400 and nothing is stored.
public struct FeedError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case empty
        case malformedJSON
        case malformedEnvelope
        case malformedCSV
        case unknownSource
        case unsupportedFormat
        case tooManyItems
    }

    private let code: Code
    /// What is wrong, in words a platform's developer can act on.
    public let message: String
    /// The JSON syntax error behind a ``malformedJSON(_:at:)`` feed, with its offset in the body.
    public let cause: JSONSyntaxError?

    private init(_ code: Code, _ message: String, cause: JSONSyntaxError? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    /// The body is empty.
    public static let empty = FeedError(.empty, "the feed body is empty")
    /// The body is not JSON.
    public static func malformedJSON(_ detail: String) -> FeedError { FeedError(.malformedJSON, detail) }
    /// The body is not JSON: `error`, found in the part of the body that starts at byte `start`.
    public static func malformedJSON(_ error: JSONSyntaxError, at start: Int = 0) -> FeedError {
        var cause = error
        cause.offset += start
        return FeedError(.malformedJSON, "invalid JSON at byte \(cause.offset): \(cause.message)", cause: cause)
    }
    /// The JSON is not the source's envelope.
    public static func malformedEnvelope(_ detail: String) -> FeedError { FeedError(.malformedEnvelope, detail) }
    /// The CSV cannot be read (bad header, bad quoting, invalid UTF-8).
    public static func malformedCSV(_ detail: String) -> FeedError { FeedError(.malformedCSV, detail) }
    /// No adapter serves this path.
    public static func unknownSource(_ source: String) -> FeedError {
        FeedError(.unknownSource, "unknown source '\(source)'")
    }
    /// The source does not take this body format.
    public static func unsupportedFormat(_ detail: String) -> FeedError { FeedError(.unsupportedFormat, detail) }

    /// The feed holds more items than one feed may (413 over HTTP): it is refused whole.
    public static func tooManyItems(limit: Int) -> FeedError {
        FeedError(
            .tooManyItems,
            "the feed holds more than \(limit) items, the most one feed may hold; split it into several pushes"
        )
    }

    /// Whether the feed names no known source (404 rather than 400 over HTTP).
    public var isUnknownSource: Bool { code == .unknownSource }
    /// Whether the body's media type is not one the source takes (415 over HTTP).
    public var isUnsupportedFormat: Bool { code == .unsupportedFormat }
    /// Whether the feed holds more items than one feed may (413 over HTTP).
    public var isTooLarge: Bool { code == .tooManyItems }
}
