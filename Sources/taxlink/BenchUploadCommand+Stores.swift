import Foundation
import Logging
import TaxLinkCore
import TaxLinkStore

/// The stores `bench-upload` delivers from: one store per uploader, all on one database, each
/// with a connection pool of its own (as separate uploader processes have).
enum BenchUploadStores {
    /// Runs `body` with `count` stores on one database. Without `url`, a new SQLite file in
    /// `folder`. With a `sqlite:PATH` URL, that file. With a `postgres://` URL, a fresh database
    /// `taxlink_bench_<random>` on that server, dropped afterwards — or, when `givenDatabase` is
    /// set, the database the URL names, as it is.
    static func with<T>(
        url: String?,
        givenDatabase: Bool,
        count: Int,
        folder: URL,
        logger: Logger,
        _ body: ([any Storage & OutboxStorage]) async throws -> T
    ) async throws -> T {
        let parsed =
            try url.map { try DatabaseURL(parsing: $0, environment: ProcessInfo.processInfo.environment) }
            ?? .sqlite(path: folder.appendingPathComponent("taxlink.sqlite").path)
        switch parsed {
        case .sqlite(let path):
            return try await body(try (0..<count).map { _ in try SQLiteStore(path: path) })
        case .postgres(let server):
            if givenDatabase { return try await running(on: server, count: count, logger: logger, body) }
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

    /// `count` PostgreSQL stores on `endpoint`, their clients running while `body` runs.
    private static func running<T>(
        on endpoint: PostgresEndpoint,
        count: Int,
        logger: Logger,
        _ body: ([any Storage & OutboxStorage]) async throws -> T
    ) async throws -> T {
        let stores = (0..<count).map { _ in
            PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint), logger: logger)
        }
        return try await nested(stores[...], body)
    }

    private static func nested<T>(
        _ stores: ArraySlice<PostgresStore>,
        _ body: ([any Storage & OutboxStorage]) async throws -> T
    ) async throws -> T {
        guard let first = stores.first else { return try await body([]) }
        return try await first.withRunning {
            try await nested(stores.dropFirst()) { rest in try await body([first] + rest) }
        }
    }
}
