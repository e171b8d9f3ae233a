/// Why a detached JWS was not accepted.
///
/// Match on ``code`` to decide what to do; ``message`` says what is wrong in words an operator
/// can act on (which certificate, which time, which header).
public struct SignatureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. New kinds may be added; compare with the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Kind: String, Sendable, Hashable {
            case missing
            case malformed
            case wrongAlgorithm = "wrong-algorithm"
            case untrustedChain = "untrusted-chain"
            case expired
            case badSignature = "bad-signature"
            case wrongKeyType = "wrong-key-type"
        }

        fileprivate let kind: Kind

        /// No signature was given.
        public static let missing = Code(kind: .missing)
        /// The JWS or its protected header cannot be parsed.
        public static let malformed = Code(kind: .malformed)
        /// The header's `alg` is not `ES256`.
        public static let wrongAlgorithm = Code(kind: .wrongAlgorithm)
        /// The `x5c` chain does not lead to a trusted certificate.
        public static let untrustedChain = Code(kind: .untrustedChain)
        /// A certificate of the chain is expired or not yet valid.
        public static let expired = Code(kind: .expired)
        /// The signature does not match the payload and header.
        public static let badSignature = Code(kind: .badSignature)
        /// The signing certificate does not hold an ECDSA P-256 key.
        public static let wrongKeyType = Code(kind: .wrongKeyType)

        /// A short stable name of the code (`bad-signature`, `untrusted-chain`, …).
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public let code: Code
    /// What is wrong and what to check.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

/// Why key material could not be loaded or generated.
public struct KeyMaterialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what to check.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
