import ArgumentParser
import Foundation
import TaxLinkStore

/// `--database URL` (or `TAXLINK_DATABASE`), shared by every command.
struct StorageOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Database URL: sqlite:PATH (default sqlite:taxlink-data/taxlink.sqlite) or postgres://… (env TAXLINK_DATABASE)."
    )
    var database: String?

    /// The URL in force: the flag, else the environment, else the default.
    var databaseURL: String {
        database ?? ProcessInfo.processInfo.environment["TAXLINK_DATABASE"] ?? "sqlite:taxlink-data/taxlink.sqlite"
    }

    /// Opens the store the URL names.
    func openStore() throws -> SQLiteStore {
        let url = databaseURL
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            throw CommandFailure("PostgreSQL storage is not available in this build; use sqlite:PATH")
        }
        var path = url
        if path.hasPrefix("sqlite://") {
            path.removeFirst("sqlite://".count)
        } else if path.hasPrefix("sqlite:") {
            path.removeFirst("sqlite:".count)
        }
        guard !path.isEmpty else { throw CommandFailure("--database: no file path in '\(url)'") }
        return try SQLiteStore(path: path)
    }
}

/// A command that failed for a reason a person can act on: printed as one line on stderr.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
