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

/// Who a token speaks for: its role and the person or system it names, recorded as the actor of every
/// change it makes.
public struct Identity: Sendable, Hashable {
    /// What the token may do.
    public var role: Role
    /// The person or system: `Nguyễn Văn An`, `shopee-feed`; the role's text when the tokens file names
    /// no one.
    public var name: String

    /// The identity of `role`, named `name` (the role's text when `nil` or blank).
    public init(role: Role, name: String? = nil) {
        self.role = role
        let trimmed = name?.trimmingCharacters(in: .whitespaces) ?? ""
        self.name = trimmed.isEmpty ? role.description : trimmed
    }
}

/// The bearer tokens the server accepts and whom each names. Tokens are kept only as SHA-256 digests.
public struct TokenRegistry: Sendable {
    private var identities: [Data: Identity] = [:]

    public init() {}

    /// Adds a token with its role and the name of the person or system it speaks for (the role's text
    /// when `nil`).
    public mutating func add(token: String, role: Role, name: String? = nil) {
        identities[Self.digest(token)] = Identity(role: role, name: name)
    }

    /// Whom a token names, or `nil` when unknown.
    public func identity(of token: String) -> Identity? { identities[Self.digest(token)] }

    /// The role of a token, or `nil` when unknown.
    public func role(of token: String) -> Role? { identity(of: token)?.role }

    /// Whether no token is configured.
    public var isEmpty: Bool { identities.isEmpty }

    private static func digest(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }

    /// Reads `TOKEN ROLE [NAME]` entries, one per line or separated by `,` or `;`; `#` starts a comment.
    /// NAME is the rest of the entry (it may hold spaces: `Nguyễn Văn An`); without one the role's text
    /// is the name, so the old two-column files keep working. `TOKEN=ROLE` is accepted too.
    public static func parse(_ text: String) throws(ServerConfigurationError) -> TokenRegistry {
        var registry = TokenRegistry()
        for (number, rawEntry) in text.split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == ";" }).enumerated() {
            let entry = rawEntry.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = entry.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" || $0 == "\r" })
                .map(String.init)
            if fields.isEmpty { continue }
            guard fields.count >= 2, let role = Role(fields[1]) else {
                throw ServerConfigurationError(
                    .malformedTokenEntry,
                    "token entry \(number + 1): expected 'TOKEN ROLE [NAME]' with a role platform:NAME, "
                        + "gateway:NAME, analyst or operator")
            }
            registry.add(token: fields[0], role: role, name: fields.dropFirst(2).joined(separator: " "))
        }
        return registry
    }
}
