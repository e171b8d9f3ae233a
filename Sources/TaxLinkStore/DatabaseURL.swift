/// Where the store lives: the value of `--database` (or `TAXLINK_DATABASE`), parsed.
///
/// Two forms are accepted:
/// - `sqlite:PATH` (also `sqlite://PATH`): the embedded store in one file;
/// - `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|require|verify-full]` (or
///   `postgresql://…`): a PostgreSQL database. See ``PostgresEndpoint``.
///
/// ``description`` never shows a password.
public enum DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    /// The embedded SQLite store in the file at `path`.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresEndpoint)

    /// The variable that supplies the PostgreSQL password when the URL carries none.
    public static let passwordVariable = "TAXLINK_DATABASE_PASSWORD"

    /// The forms a database URL takes, for help texts and error messages.
    public static let acceptedForms =
        "sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|require|verify-full]"

    /// Parses `string`.
    ///
    /// - Parameter environment: the process environment, given by the caller (the library never
    ///   reads it): ``passwordVariable`` supplies the password of a PostgreSQL URL that has none.
    public init(parsing string: String, environment: [String: String] = [:]) throws(DatabaseURLError) {
        let scheme = string.firstIndex(of: ":").map { string[..<$0].lowercased() }
        switch scheme {
        case "sqlite":
            var path = String(string.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else {
                throw DatabaseURLError(.missingPart, "--database: no file path after 'sqlite:'; use sqlite:PATH")
            }
            self = .sqlite(path: path)
        case "postgres", "postgresql":
            self = .postgres(try PostgresEndpoint(parsing: string, environment: environment))
        default:
            throw DatabaseURLError(
                .unknownScheme,
                "--database: the value is not a database URL (scheme \(scheme.map { "'\($0)'" } ?? "missing")); use \(Self.acceptedForms)"
            )
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let endpoint): endpoint.description
        }
    }
}
