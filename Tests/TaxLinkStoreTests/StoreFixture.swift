import Foundation
import Logging
import TestSupport

@testable import TaxLinkStore

/// The two stores every conformance test runs on.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    var description: String { rawValue }
}

/// A fresh, empty store of one kind, open while a test body runs.
struct TestStore: Sendable {
    /// The store itself.
    enum Backing: Sendable {
        case sqlite(SQLiteStore)
        case postgres(PostgresStore)
    }

    let kind: StoreKind
    let backing: Backing
    /// The URL that opens the same database (for a second store, or the command line).
    let url: DatabaseURL
}

/// Opens a fresh empty store per test: a new SQLite file in a temporary folder, or a new
/// PostgreSQL database `taxlink_test_<random>` on ``TestPostgres`` (created before the body,
/// dropped after it), with the store's client running while the body runs.
enum StoreFixture {
    /// Runs `body` with a fresh store of `kind`, migrated and open.
    static func withStore<T>(_ kind: StoreKind, _ body: (TestStore) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            return try await withSQLiteURL { url, path in
                try await body(TestStore(kind: .sqlite, backing: .sqlite(try SQLiteStore(path: path)), url: url))
            }
        case .postgres:
            return try await withPostgresDatabase { endpoint in
                let store = PostgresStore(
                    configuration: PostgresStore.Configuration(endpoint: endpoint),
                    logger: logger
                )
                return try await withRunning(store) {
                    try await body(TestStore(kind: .postgres, backing: .postgres(store), url: .postgres(endpoint)))
                }
            }
        }
    }

    /// Runs `body` with the URL and path of a SQLite file that does not exist yet, in a
    /// temporary folder removed afterwards.
    static func withSQLiteURL<T>(_ body: (DatabaseURL, String) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("taxlink.sqlite").path
        return try await body(.sqlite(path: path), path)
    }

    /// Runs `body` with an endpoint naming a fresh, empty PostgreSQL database, dropped afterwards.
    static func withPostgresDatabase<T>(_ body: (PostgresEndpoint) async throws -> T) async throws -> T {
        let endpoint = try await serverEndpoint().with(
            database: "taxlink_test_\(UUID().uuidString.prefix(12).lowercased())"
                .replacingOccurrences(of: "-", with: "_")
        )
        try await endpoint.createDatabase(logger: logger)
        do {
            let value = try await body(endpoint)
            try await endpoint.dropDatabase(logger: logger)
            return value
        } catch {
            try? await endpoint.dropDatabase(logger: logger)
            throw error
        }
    }

    /// Runs `body` while `store`'s client runs (``PostgresStore/withRunning(_:)``).
    static func withRunning<T>(_ store: PostgresStore, _ body: () async throws -> T) async throws -> T {
        try await store.withRunning(body)
    }

    /// The test server (``TestPostgres``) as an endpoint.
    static func serverEndpoint() async throws -> PostgresEndpoint {
        guard case .postgres(let endpoint) = try DatabaseURL(parsing: try await TestPostgres.url()) else {
            throw TestPostgres.Unavailable(description: "\(TestPostgres.urlVariable) is not a postgres:// URL")
        }
        return endpoint
    }

    /// Warnings and errors only: a test run is not a place for "applied migrations" notices.
    static let logger: Logger = {
        var logger = Logger(label: "taxlink.test.postgres")
        logger.logLevel = .warning
        return logger
    }()
}
