import ArgumentParser
import Foundation
import Logging
import TaxLinkCore
import TaxLinkStore

/// One store of a benchmark: every capability of one database.
typealias BenchStore = any Storage & FindingsStorage & OutboxStorage

/// `--database` and `--given-database` of the `bench-*` commands.
struct BenchDatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database"),
        help: """
            sqlite:PATH or postgres://USER@HOST:PORT/DB (a fresh database is created beside DB and \
            dropped afterwards); default: a new SQLite file, removed afterwards.
            """
    )
    var url: String?

    @Flag(name: .customLong("given-database"), help: "Use the PostgreSQL database the URL names as it is.")
    var givenDatabase = false
}

/// The database a benchmark runs on, opened as `count` stores, each with a connection pool of its
/// own (as separate processes have).
enum BenchDatabase {
    /// Runs `body` with `count` stores on one database. Without a URL, a new SQLite file in
    /// `folder`. With a `sqlite:PATH` URL, that file. With a `postgres://` URL, a fresh database
    /// `taxlink_bench_<random>` on that server, dropped afterwards — or, with `--given-database`,
    /// the database the URL names, as it is.
    static func with<T>(
        _ options: BenchDatabaseOptions,
        count: Int = 1,
        folder: URL,
        logger: Logger,
        _ body: ([BenchStore]) async throws -> T
    ) async throws -> T {
        let parsed =
            try options.url.map { try DatabaseURL(parsing: $0, environment: ProcessInfo.processInfo.environment) }
            ?? .sqlite(path: folder.appendingPathComponent("taxlink.sqlite").path)
        switch parsed {
        case .sqlite(let path):
            return try await body(try (0..<count).map { _ in try SQLiteStore(path: path) })
        case .postgres(let server):
            if options.givenDatabase { return try await running(on: server, count: count, logger: logger, body) }
            let endpoint = server.with(database: "taxlink_bench_\(UInt32.random(in: 0...UInt32.max))")
            try await endpoint.createDatabase(logger: logger)
            do {
                let value = try await running(on: endpoint, count: count, logger: logger, body)
                try await endpoint.dropDatabase(logger: logger)
                return value
            } catch {
                try? await endpoint.dropDatabase(logger: logger)
                throw error
            }
        }
    }

    /// A temporary folder for the benchmark's files, removed after `body`.
    static func withTemporaryFolder<T>(_ name: String, _ body: (URL) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    /// `count` PostgreSQL stores on `endpoint`, their clients running while `body` runs.
    private static func running<T>(
        on endpoint: PostgresEndpoint,
        count: Int,
        logger: Logger,
        _ body: ([BenchStore]) async throws -> T
    ) async throws -> T {
        let stores = (0..<count).map { _ in
            PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint), logger: logger)
        }
        return try await nested(stores[...], body)
    }

    private static func nested<T>(
        _ stores: ArraySlice<PostgresStore>,
        _ body: ([BenchStore]) async throws -> T
    ) async throws -> T {
        guard let first = stores.first else { return try await body([]) }
        return try await first.withRunning {
            try await nested(stores.dropFirst()) { rest in try await body([first] + rest) }
        }
    }
}
