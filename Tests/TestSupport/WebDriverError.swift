/// Why a browser test could not drive the browser.
///
/// Match on ``code``; ``message`` says what is wrong and what to do (install the browser, read the
/// driver's output), ``cause`` holds the underlying error where there is one.
public struct WebDriverError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. New kinds may be added; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Kind: String, Sendable, Hashable {
            case browserMissing = "browser-missing"
            case driverDidNotStart = "driver-did-not-start"
            case commandFailed = "command-failed"
            case unreadableAnswer = "unreadable-answer"
        }

        fileprivate let kind: Kind

        /// `chromium` or `chromedriver` is not installed.
        public static let browserMissing = Code(kind: .browserMissing)
        /// `chromedriver` did not start listening, or refused to open a session.
        public static let driverDidNotStart = Code(kind: .driverDidNotStart)
        /// The driver answered a command with a WebDriver error (no such element, timeout, …).
        public static let commandFailed = Code(kind: .commandFailed)
        /// The driver's answer was not the JSON the command expects.
        public static let unreadableAnswer = Code(kind: .unreadableAnswer)

        /// A short stable name of the code (`browser-missing`, `command-failed`, …).
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What is wrong and what to do about it.
    public let message: String
    /// The underlying error, when another error led to this one.
    public let cause: (any Error)?
    /// The WebDriver error name of a failed command (`no such element`, `timeout`, …).
    public let webDriverError: String?

    init(_ code: Code, _ message: String, cause: (any Error)? = nil, webDriverError: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.webDriverError = webDriverError
    }

    public var description: String {
        "\(code): \(message)" + (cause.map { " (cause: \($0))" } ?? "")
    }
}
