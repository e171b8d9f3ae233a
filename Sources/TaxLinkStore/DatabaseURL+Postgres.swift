import Foundation

/// A PostgreSQL database named by a `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…]` URL.
///
/// User, password, host and database name are percent-decoded; an IPv6 host is written in
/// brackets (`postgres://u@[::1]:5433/db`); the port defaults to 5432. The only parameter is
/// `sslmode`, whose absence means ``SSLMode/disable``. The password is held in a ``Secret``, so
/// neither ``description``, `dump` nor string interpolation shows it.
public struct PostgresEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Whether and how the connection is encrypted.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP (a loopback or otherwise trusted network only).
        case disable
        /// TLS, without checking the server's certificate: encrypted, but open to a machine in the middle.
        case require
        /// TLS, with the certificate checked against the system's trust roots and the host name.
        case verifyFull = "verify-full"
    }

    /// The user name.
    public var user: String
    /// The password, from the URL or ``DatabaseURL/passwordVariable``; `nil` when neither gives one.
    public var password: Secret?
    /// The host name or IP address (an IPv6 address without its brackets).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The database name.
    public var database: String
    /// The TLS mode.
    public var sslMode: SSLMode

    /// An endpoint from its parts.
    public init(
        user: String,
        password: Secret? = nil,
        host: String,
        port: Int = 5432,
        database: String,
        sslMode: SSLMode = .disable
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// The same server and user, another database (the maintenance database `postgres` to create
    /// or drop one, a fresh test database).
    public func with(database: String) -> PostgresEndpoint {
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL without its password (`postgres://USER@HOST:PORT/DB?sslmode=MODE`).
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let mode = sslMode == .disable ? "" : "?sslmode=\(sslMode.rawValue)"
        return "postgres://\(Self.encode(user))@\(hostPart):\(port)/\(Self.encode(database))\(mode)"
    }

    private static func encode(_ part: String) -> String {
        part.addingPercentEncoding(
            withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/?#"))
        )
            ?? part
    }
}

extension PostgresEndpoint {
    /// Parses a `postgres://` or `postgresql://` URL; see the type's documentation.
    init(parsing string: String, environment: [String: String]) throws(DatabaseURLError) {
        guard let schemeEnd = string.range(of: "://") else {
            throw DatabaseURLError(.malformed, "--database: a PostgreSQL URL starts with postgres://")
        }
        var rest = Substring(string[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw DatabaseURLError(.missingPart, "--database: no database name; write postgres://USER@HOST/DB")
        }
        let authority = rest[..<slash]
        let databasePart = rest[rest.index(after: slash)...]
        let database = try Self.decode(databasePart, part: "database name")
        guard let at = authority.lastIndex(of: "@") else {
            throw DatabaseURLError(.missingPart, "--database: no user name; write postgres://USER@HOST/DB")
        }
        let userInfo = authority[..<at]
        let (user, password) = try Self.userAndPassword(userInfo)
        let (host, port) = try Self.hostAndPort(authority[authority.index(after: at)...])
        guard !database.isEmpty, !databasePart.contains("/") else {
            throw DatabaseURLError(.missingPart, "--database: no database name; write postgres://USER@HOST/DB")
        }
        self.init(
            user: user,
            password: password ?? environment[DatabaseURL.passwordVariable].map(Secret.init),
            host: host,
            port: port,
            database: database,
            sslMode: try Self.sslMode(query)
        )
    }

    private static func userAndPassword(_ userInfo: Substring) throws(DatabaseURLError) -> (String, Secret?) {
        let colon = userInfo.firstIndex(of: ":")
        let user = try decode(userInfo[..<(colon ?? userInfo.endIndex)], part: "user name")
        guard !user.isEmpty else {
            throw DatabaseURLError(.missingPart, "--database: no user name; write postgres://USER@HOST/DB")
        }
        guard let colon else { return (user, nil) }
        return (user, Secret(try decode(userInfo[userInfo.index(after: colon)...], part: "password")))
    }

    private static func hostAndPort(_ hostPort: Substring) throws(DatabaseURLError) -> (String, Int) {
        var host: String
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw DatabaseURLError(.malformed, "--database: an IPv6 host has no closing ']'")
            }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw DatabaseURLError(.malformed, "--database: after an IPv6 host ']' comes ':PORT' or '/DB'")
                }
                portText = after.dropFirst()
            }
        } else {
            let colon = hostPort.firstIndex(of: ":")
            host = try decode(hostPort[..<(colon ?? hostPort.endIndex)], part: "host")
            portText = colon.map { hostPort[hostPort.index(after: $0)...] }
        }
        guard !host.isEmpty else {
            throw DatabaseURLError(.missingPart, "--database: no host; write postgres://USER@HOST/DB")
        }
        guard let portText else { return (host, 5432) }
        guard portText.count <= 5, portText.allSatisfy(\.isASCIIDigit), let port = Int(portText),
            (1...65535).contains(port)
        else {
            throw DatabaseURLError(
                .malformed,
                "--database: the port \(quoted(portText)) is not a number from 1 to 65535"
            )
        }
        return (host, port)
    }

    private static func sslMode(_ query: Substring) throws(DatabaseURLError) -> SSLMode {
        var mode = SSLMode.disable
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0], part: "parameter name")
            guard name == "sslmode" else {
                throw DatabaseURLError(
                    .unknownParameter,
                    "--database: unknown parameter \(quoted(name[...])); the only one is sslmode"
                )
            }
            let value = parts.count == 2 ? try decode(parts[1], part: "sslmode") : ""
            guard let known = SSLMode(rawValue: value) else {
                let accepted = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw DatabaseURLError(
                    .unknownParameter,
                    "--database: sslmode \(quoted(value[...])) is not one of \(accepted)"
                )
            }
            mode = known
        }
        return mode
    }

    private static func decode(_ part: Substring, part name: String) throws(DatabaseURLError) -> String {
        guard let decoded = String(part).removingPercentEncoding else {
            throw DatabaseURLError(.malformed, "--database: the \(name) has a malformed %-escape")
        }
        return decoded
    }

    /// `text` in quotes when it is plainly not a secret (letters, digits, `-`, `_`, `.`); a
    /// description of it otherwise: a password typed with an unescaped `?` or `/` ends up in the
    /// wrong part of the URL, and must not be printed from there.
    private static func quoted(_ text: Substring) -> String {
        let plain =
            text.count <= 40 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        return plain ? "'\(text)'" : "(\(text.count) characters, not shown)"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// A value that is never printed: `description`, `debugDescription` and `dump` show `***`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself; read it only where it is used.
    public let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
