import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TaxLinkServer
import TaxLinkStore
import TestSupport
import Testing

/// `/readyz` on a PostgreSQL store asks the database (``Storage/ping()``).
@Suite("Readiness on PostgreSQL")
struct ReadinessTests {
    /// A store whose server does not answer (nothing listens on the port): 503 problem+json with
    /// `Retry-After`.
    @Test func unreachableDatabaseIsNotReady() async throws {
        guard case .postgres(let endpoint) = try DatabaseURL(parsing: "postgres://postgres@127.0.0.1:1/taxlink") else {
            Issue.record("not a postgres:// URL")
            return
        }
        try await Self.readyz(endpoint, timeout: .seconds(2)) { response in
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    /// A store on a working database: 200.
    @Test func workingDatabaseIsReady() async throws {
        guard case .postgres(let server) = try DatabaseURL(parsing: try await TestPostgres.url()) else {
            Issue.record("\(TestPostgres.urlVariable) is not a postgres:// URL")
            return
        }
        let endpoint = server.with(database: "taxlink_test_ready_\(UInt32.random(in: 0...UInt32.max))")
        try await endpoint.createDatabase(logger: Self.logger)
        do {
            // Generous: on a loaded machine the first connection can take seconds to open.
            try await Self.readyz(endpoint, timeout: .seconds(30)) { response in
                #expect(response.status == .ok)
            }
        } catch {
            try? await endpoint.dropDatabase(logger: Self.logger)
            throw error
        }
        try await endpoint.dropDatabase(logger: Self.logger)
    }

    /// Runs a store on `endpoint` (giving up on a connection after `timeout`) and asks an in-process
    /// app over it for `/readyz`.
    private static func readyz(
        _ endpoint: PostgresEndpoint, timeout: Duration, _ check: @escaping @Sendable (TestResponse) throws -> Void
    ) async throws {
        var configuration = PostgresStore.Configuration(endpoint: endpoint)
        configuration.connectTimeout = timeout
        configuration.leaseTimeout = timeout
        let store = PostgresStore(configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await store.run() }
            defer { group.cancelAll() }
            let app = Application(router: buildRouter(configuration: ServerConfiguration(), stores: Stores(store)))
            try await app.test(.router) { client in
                try await client.execute(uri: "/readyz", method: .get) { try check($0) }
            }
        }
    }

    private static let logger: Logger = {
        var logger = Logger(label: "taxlink.test.readiness")
        logger.logLevel = .critical
        return logger
    }()
}
