import ArgumentParser
import Foundation
import TaxLinkStore

/// `--database URL` (or `TAXLINK_DATABASE`), shared by every command.
struct StorageOptions: ParsableArguments {
    /// The two forms a database URL takes, for error messages.
    static let acceptedForms = "sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DB"

    @Option(
        name: .long,
        help:
            "Database URL: sqlite:PATH (default sqlite:taxlink-data/taxlink.sqlite) or postgres://… (env TAXLINK_DATABASE)."
    )
    var database: String?

    /// The URL in force: the flag, else the environment, else the default.
    var databaseURL: String {
        database ?? ProcessInfo.processInfo.environment["TAXLINK_DATABASE"] ?? "sqlite:taxlink-data/taxlink.sqlite"
    }

    /// The stores of the database the URL names, one per capability, for the commands that hand them
    /// to the server, the reconciler or the uploader. `creatingIfMissing` as in ``openStore(creatingIfMissing:)``.
    func openStores(creatingIfMissing: Bool = false) throws -> Stores {
        Stores(try openStore(creatingIfMissing: creatingIfMissing))
    }

    /// Opens the store the URL names. Only `ingest`, `serve`, `demo` and `db migrate` pass
    /// `creatingIfMissing: true`; every other command refuses a database that does not exist.
    func openStore(creatingIfMissing: Bool = false) throws -> SQLiteStore {
        let url = databaseURL
        let scheme = url.firstIndex(of: ":").map { String(url[..<$0]).lowercased() }
        switch scheme {
        case "postgres", "postgresql":
            throw CommandFailure("PostgreSQL storage is not available in this build; use sqlite:PATH")
        case "sqlite":
            break
        default:
            throw CommandFailure("--database: '\(url)' is not a database URL; use \(Self.acceptedForms)")
        }
        var path = String(url.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path.removeFirst(2) }
        guard !path.isEmpty else { throw CommandFailure("--database: no file path in '\(url)'") }
        var configuration = SQLiteStore.Configuration(path: path)
        configuration.createIfMissing = creatingIfMissing
        do {
            return try SQLiteStore(configuration: configuration)
        } catch let error as StoreOpenError {
            throw CommandFailure(error.message)
        }
    }
}

/// A command that failed for a reason a person can act on: printed as one line on stderr.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
