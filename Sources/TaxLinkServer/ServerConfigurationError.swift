/// Why a ``ServerConfiguration`` cannot be served: ``ServerConfiguration/validate()`` and
/// ``TokenRegistry/parse(_:)`` say which value or entry is wrong and what it must be.
public struct ServerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of fault. New kinds may be added; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Kind: String, Sendable, Hashable {
            case invalidTimeout = "invalid-timeout"
            case malformedTokenEntry = "malformed-token-entry"
        }

        fileprivate let kind: Kind

        /// A timeout that is zero or negative.
        public static let invalidTimeout = Code(kind: .invalidTimeout)
        /// A tokens entry that is not `TOKEN ROLE` with a known role.
        public static let malformedTokenEntry = Code(kind: .malformedTokenEntry)

        /// A short stable name of the code (`invalid-timeout`, `malformed-token-entry`).
        public var description: String { kind.rawValue }
    }

    /// The kind of fault.
    public let code: Code
    /// Which value or entry is wrong and what it must be.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
