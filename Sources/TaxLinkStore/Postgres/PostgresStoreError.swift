/// Why the PostgreSQL store could not do what was asked, with a message a person can act on.
///
/// ``isUnavailable`` marks the faults that pass once the database answers again (it is down,
/// restarting, unreachable, out of connections): the server answers those with 503 and
/// `Retry-After`, never with a 202.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case unavailable
        case missingDatabase
        case unknownMigrations
        case migrationFailed
        case closed
        case contended
        case unexpectedAnswer
    }

    private let code: Code
    /// What is wrong and what to do.
    public let message: String
    /// The error of PostgresNIO (or of the server) behind this one, when there is one.
    public let cause: (any Error & Sendable)?

    private init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The database does not answer (down, restarting, unreachable, refusing connections).
    static func unavailable(_ endpoint: PostgresEndpoint, cause: (any Error & Sendable)?) -> PostgresStoreError {
        PostgresStoreError(
            .unavailable,
            "the database at \(endpoint.host):\(endpoint.port) does not answer; try again shortly",
            cause: cause
        )
    }

    /// The database named in the URL does not exist and the store was opened without creating it.
    static func missingDatabase(_ endpoint: PostgresEndpoint) -> PostgresStoreError {
        PostgresStoreError(
            .missingDatabase,
            "no database '\(endpoint.database)' on \(endpoint.host):\(endpoint.port); give the right --database, or create it with `taxlink db migrate`"
        )
    }

    /// The database has migrations this build does not know: a newer build has run on it.
    static func unknownMigrations(_ names: [String]) -> PostgresStoreError {
        PostgresStoreError(
            .unknownMigrations,
            "the database has migrations this build does not know (\(names.joined(separator: ", "))): a newer taxlink has run on it; run that version or a newer one"
        )
    }

    /// A migration failed; nothing of it was kept (each runs in its own transaction).
    static func migrationFailed(_ name: String, cause: any Error & Sendable) -> PostgresStoreError {
        PostgresStoreError(
            .migrationFailed,
            "migration \(name) failed and was rolled back: \(String(reflecting: cause))",
            cause: cause
        )
    }

    /// The store's client is not running (it was never started, or it has stopped).
    static let closed = PostgresStoreError(
        .closed,
        "the PostgreSQL store is closed: its client is not running"
    )

    /// Other processes kept writing the same rows as this one (locks taken in opposite orders)
    /// after every retry; nothing of this write was kept. The same request may succeed later.
    static func contended(_ what: String, cause: (any Error & Sendable)?) -> PostgresStoreError {
        PostgresStoreError(
            .contended,
            "\(what) kept meeting other processes writing the same rows; nothing was kept, try again shortly",
            cause: cause
        )
    }

    /// The database answered in a way the store does not expect (a schema changed by hand, or a bug).
    static func unexpectedAnswer(_ what: String) -> PostgresStoreError {
        PostgresStoreError(
            .unexpectedAnswer,
            "unexpected answer from the database: \(what); check the schema with `taxlink db status`"
        )
    }

    /// Whether the database does not answer now (or is contended) and the same request may succeed later.
    public var isUnavailable: Bool { code == .unavailable || code == .contended }
    /// Whether the database named in the URL does not exist.
    public var isMissingDatabase: Bool { code == .missingDatabase }
    /// Whether the database was migrated by a newer build.
    public var isUnknownMigration: Bool { code == .unknownMigrations }

    public var description: String { message }
}
