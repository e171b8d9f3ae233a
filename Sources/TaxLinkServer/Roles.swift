import Crypto
import Foundation

/// Who a bearer token speaks for.
public enum Role: Sendable, Hashable, CustomStringConvertible {
    /// A platform pushing its own feeds.
    case platform(String)
    /// A payment gateway pushing its settlements.
    case gateway(String)
    /// A tax analyst reading reports.
    case analyst
    /// An operator managing the outbox.
    case `operator`

    /// Parses `platform:<name>`, `gateway:<name>`, `analyst` or `operator`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map { String($0).lowercased() }
        switch (parts.first, parts.count) {
        case ("platform", 2) where !parts[1].isEmpty: self = .platform(parts[1])
        case ("gateway", 2) where !parts[1].isEmpty: self = .gateway(parts[1])
        case ("analyst", 1): self = .analyst
        case ("operator", 1): self = .operator
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .platform(let name): "platform:\(name)"
        case .gateway(let name): "gateway:\(name)"
        case .analyst: "analyst"
        case .operator: "operator"
        }
    }
}

/// The bearer tokens the server accepts and their roles. Tokens are kept only as SHA-256 digests.
public struct TokenRegistry: Sendable {
    private var roles: [Data: Role] = [:]

    public init() {}

    /// Adds a token with its role.
    public mutating func add(token: String, role: Role) {
        roles[Self.digest(token)] = role
    }

    /// The role of a token, or `nil` when unknown.
    public func role(of token: String) -> Role? { roles[Self.digest(token)] }

    /// Whether no token is configured.
    public var isEmpty: Bool { roles.isEmpty }

    private static func digest(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }

    /// Reads `TOKEN ROLE` pairs, one per line or separated by `,` or `;`; `#` starts a comment.
    /// `TOKEN=ROLE` is accepted too.
    public static func parse(_ text: String) throws(ServerConfigurationError) -> TokenRegistry {
        var registry = TokenRegistry()
        for (number, rawEntry) in text.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == ";" }).enumerated() {
            let entry = rawEntry.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" }).map(String.init)
            if fields.isEmpty { continue }
            guard fields.count == 2, let role = Role(fields[1]) else {
                throw ServerConfigurationError(
                    .malformedTokenEntry,
                    "token entry \(number + 1): expected 'TOKEN ROLE' with a role platform:NAME, "
                        + "gateway:NAME, analyst or operator")
            }
            registry.add(token: fields[0], role: role)
        }
        return registry
    }
}
