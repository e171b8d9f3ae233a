/// Why a `--database` URL was not accepted, with a message a person can act on.
///
/// The message never repeats the URL whole, so a password in it is never printed.
public struct DatabaseURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of fault. New kinds may be added; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Kind: String, Sendable, Hashable {
            case unknownScheme = "unknown-scheme"
            case missingPart = "missing-part"
            case malformed
            case unknownParameter = "unknown-parameter"
        }

        fileprivate let kind: Kind

        /// The URL names neither `sqlite:` nor `postgres://`/`postgresql://`.
        public static let unknownScheme = Code(kind: .unknownScheme)
        /// A required part (file path, user, host, database name) is empty.
        public static let missingPart = Code(kind: .missingPart)
        /// A part cannot be read: bad percent-encoding, a port that is not a number in 1…65535, an
        /// unclosed IPv6 bracket.
        public static let malformed = Code(kind: .malformed)
        /// A query parameter other than `sslmode`, or an `sslmode` value other than the three accepted.
        public static let unknownParameter = Code(kind: .unknownParameter)

        /// A short stable name of the code (`unknown-scheme`, `missing-part`, …).
        public var description: String { kind.rawValue }
    }

    /// The kind of fault.
    public let code: Code
    /// What is wrong and how to write it instead.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
