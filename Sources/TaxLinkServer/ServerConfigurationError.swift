/// Why a ``ServerConfiguration`` cannot be served: ``ServerConfiguration/validate()`` says which value
/// is wrong and what it must be.
public struct ServerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of fault. New kinds may be added; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Kind: String, Sendable, Hashable {
            case invalidTimeout = "invalid-timeout"
        }

        fileprivate let kind: Kind

        /// A timeout that is zero or negative.
        public static let invalidTimeout = Code(kind: .invalidTimeout)

        /// A short stable name of the code (`invalid-timeout`).
        public var description: String { kind.rawValue }
    }

    /// The kind of fault.
    public let code: Code
    /// Which value is wrong and what it must be.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
