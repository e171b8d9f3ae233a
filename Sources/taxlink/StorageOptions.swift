import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TaxLinkStore

/// `--database URL` (or `TAXLINK_DATABASE`), shared by every command.
struct StorageOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Database URL: sqlite:PATH (default sqlite:taxlink-data/taxlink.sqlite) or postgres://USER@HOST[:PORT]/DB[?sslmode=disable|require|verify-full] (env TAXLINK_DATABASE; the password from TAXLINK_DATABASE_PASSWORD).",
            valueName: "url"
        )
    )
    var database: String?

    /// The URL in force: the flag, else the environment, else the default.
    var databaseURL: String {
        database ?? ProcessInfo.processInfo.environment["TAXLINK_DATABASE"] ?? "sqlite:taxlink-data/taxlink.sqlite"
    }

    /// Runs `body` with the stores of the database the URL names, one per capability. A
    /// PostgreSQL store's client runs for the time of `body` (migrations applied first) and stops
    /// after. Only `ingest`, `serve`, `demo` and `db migrate` pass `creatingIfMissing: true`; every
    /// other command refuses a database that does not exist.
    func withStores<T>(creatingIfMissing: Bool = false, _ body: (Stores) async throws -> T) async throws -> T {
        let opened = try openStoresAsServices(creatingIfMissing: creatingIfMissing)
        guard let postgres = opened.postgres else { return try await body(opened.stores) }
        return try await Self.failingClearly { try await postgres.withRunning { try await body(opened.stores) } }
    }

    /// The stores of the database the URL names, and the services that must run while they are
    /// used (the PostgreSQL client): `serve` puts those first in its `ServiceGroup`. Calls wait
    /// until the PostgreSQL store is open.
    func openStoresAsServices(creatingIfMissing: Bool = false) throws -> OpenedStores {
        switch try parsedDatabaseURL() {
        case .sqlite(let path):
            return OpenedStores(stores: Stores(try Self.openSQLite(path: path, creatingIfMissing: creatingIfMissing)))
        case .postgres(let endpoint):
            var configuration = PostgresStore.Configuration(endpoint: endpoint)
            configuration.createIfMissing = creatingIfMissing
            let store = PostgresStore(configuration: configuration, logger: Logger.cli)
            return OpenedStores(stores: Stores(store), postgres: store)
        }
    }

    /// The stores of the database the URL names, for commands without a PostgreSQL client to run
    /// (SQLite only; ``withStores(creatingIfMissing:_:)`` serves both).
    func openStores(creatingIfMissing: Bool = false) throws -> Stores {
        guard let store = try openStore(creatingIfMissing: creatingIfMissing) else {
            throw CommandFailure("this command runs on the embedded store only; give --database sqlite:PATH")
        }
        return Stores(store)
    }

    /// The SQLite store the URL names, or `nil` for a PostgreSQL URL.
    func openStore(creatingIfMissing: Bool = false) throws -> SQLiteStore? {
        guard case .sqlite(let path) = try parsedDatabaseURL() else { return nil }
        return try Self.openSQLite(path: path, creatingIfMissing: creatingIfMissing)
    }
}

/// The stores a command was given, and the PostgreSQL store whose client must run meanwhile.
struct OpenedStores {
    /// One store per capability.
    let stores: Stores
    /// The PostgreSQL store behind ``stores``, when the URL names one.
    var postgres: PostgresStore? = nil

    /// What must run in the `ServiceGroup` while the stores are used.
    var services: [any Service] { postgres.map { [$0] } ?? [] }
}

/// A command that failed for a reason a person can act on: printed as one line on stderr.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
