import Foundation
import GRDB
import TestSupport
import Testing

@testable import TaxLinkStore

/// `taxlink db migrate` and `taxlink db status`, through the built binary, on both stores.
@Suite struct DbCommandTests {
    /// The JSON object a command printed on stdout.
    static func object(_ result: TaxLinkBinary.Result) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        return try #require(parsed as? [String: Any], "stdout: \(result.standardOutput)")
    }

    @Test(arguments: StoreKind.allCases)
    func statusShowsPendingThenApplied(kind: StoreKind) async throws {
        try await Self.withFreshDatabase(kind) { url, known in
            let environment = ProcessInfo.processInfo.environment
            let before = try await TaxLinkBinary.run(["db", "status", "--database", url], environment: environment)
            if kind == .sqlite {
                #expect(before.status != 0)
                #expect(before.standardError.contains("no database at"))
            } else {
                #expect(before.status == 0, "\(before.standardError)")
                #expect(try Self.object(before)["pending"] as? [String] == known)
                #expect(try Self.object(before)["applied"] as? [String] == [])
            }
            let migrate = try await TaxLinkBinary.run(["db", "migrate", "--database", url], environment: environment)
            #expect(migrate.status == 0, "\(migrate.standardError)")
            #expect(try Self.object(migrate)["applied_now"] as? [String] == known)
            let after = try await TaxLinkBinary.run(["db", "status", "--database", url], environment: environment)
            let status = try Self.object(after)
            #expect(status["applied"] as? [String] == known)
            #expect(status["pending"] as? [String] == [])
            #expect(status["unknown"] as? [String] == [])
            let again = try await TaxLinkBinary.run(["db", "migrate", "--database", url], environment: environment)
            #expect(try Self.object(again)["applied_now"] as? [String] == [])
        }
    }

    @Test func thePasswordStaysOutOfTheOutput() async throws {
        let server = try await StoreFixture.serverEndpoint()
        let url = PostgresEndpoint(
            user: server.user,
            password: Secret("hunter2-secret"),
            host: server.host,
            port: server.port,
            database: "taxlink_test_never_created"
        )
        var environment = ProcessInfo.processInfo.environment
        environment[DatabaseURL.passwordVariable] = "hunter2-secret"
        let status = try await TaxLinkBinary.run(
            ["db", "status", "--database", url.description],
            environment: environment
        )
        #expect(status.status != 0)
        #expect(status.standardError.contains("no database 'taxlink_test_never_created'"))
        #expect(!(status.standardOutput + status.standardError).contains("hunter2"))
    }

    /// Runs `body` with the URL of a database with no migration applied (SQLite: no file yet;
    /// PostgreSQL: an empty database, dropped afterwards) and the migration names its store knows.
    static func withFreshDatabase(_ kind: StoreKind, _ body: (String, [String]) async throws -> Void) async throws {
        switch kind {
        case .sqlite:
            try await StoreFixture.withSQLiteURL { url, _ in
                try await body(url.description, SQLiteStore.migrator.migrations)
            }
        case .postgres:
            try await StoreFixture.withPostgresDatabase { endpoint in
                try await body(endpoint.description, PostgresMigrations.all.map(\.name))
            }
        }
    }
}
