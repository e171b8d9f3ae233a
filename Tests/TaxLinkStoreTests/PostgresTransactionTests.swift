import PostgresNIO
import Testing

@testable import TaxLinkStore

@Suite struct PostgresTransactionTests {
    /// A serializable transaction reads the counter; another session updates it and commits; the
    /// transaction's own update then fails with 40001. `withTransaction` runs the body again on a
    /// fresh snapshot, which succeeds: the counter ends at 2, the body ran twice.
    @Test func serializationFailuresAreRetried() async throws {
        try await StoreFixture.withPostgresDatabase { endpoint in
            let store = PostgresStore(
                configuration: PostgresStore.Configuration(endpoint: endpoint),
                logger: StoreFixture.logger
            )
            try await StoreFixture.withRunning(store) {
                try await store.withConnection { connection in
                    _ = try await connection.query("CREATE TABLE counter (n int NOT NULL)", logger: store.logger)
                    _ = try await connection.query("INSERT INTO counter VALUES (0)", logger: store.logger)
                }
                let bodies = Attempts()
                try await endpoint.withSingleConnection(logger: StoreFixture.logger) { other in
                    try await store.withTransaction(isolation: .serializable) { connection in
                        let attempt = await bodies.add()
                        let n =
                            try await connection.query("SELECT n FROM counter", logger: store.logger)
                            .collect().first?.decode(Int.self) ?? 0
                        if attempt == 1 {
                            _ = try await other.query("UPDATE counter SET n = n + 1", logger: store.logger)
                        }
                        _ = try await connection.query("UPDATE counter SET n = \(n + 1)", logger: store.logger)
                    }
                }
                let n = try await store.withConnection { connection in
                    try await connection.query("SELECT n FROM counter", logger: store.logger).collect().first?.decode(
                        Int.self
                    )
                }
                #expect(n == 2)
                #expect(await bodies.count == 2)
            }
        }
    }

    @Test func aThrowingBodyIsRolledBackAndNotRetried() async throws {
        struct Refused: Error {}
        try await StoreFixture.withPostgresDatabase { endpoint in
            let store = PostgresStore(
                configuration: PostgresStore.Configuration(endpoint: endpoint),
                logger: StoreFixture.logger
            )
            try await StoreFixture.withRunning(store) {
                let bodies = Attempts()
                await #expect(throws: Refused.self) {
                    try await store.withTransaction { connection in
                        await bodies.add()
                        _ = try await connection.query("CREATE TABLE never (x int)", logger: store.logger)
                        throw Refused()
                    }
                }
                #expect(await bodies.count == 1)
                let gone = try await store.withConnection { connection in
                    try await connection.query("SELECT to_regclass('never') IS NULL", logger: store.logger)
                        .collect().first?.decode(Bool.self)
                }
                #expect(gone == true)
            }
        }
    }
}

extension PostgresTransactionTests {
    /// With every pooled connection busy (a pool of one, held), a call gives up after the lease
    /// timeout as unavailable (503 for a push) instead of waiting for the pool; once the
    /// connection is free again calls succeed.
    @Test func aCallThatGetsNoConnectionInTimeIsUnavailable() async throws {
        try await StoreFixture.withPostgresDatabase { endpoint in
            var configuration = PostgresStore.Configuration(endpoint: endpoint)
            // Migrated first with the default timeouts, so opening the store of one connection is quick.
            let migrating = PostgresStore(configuration: configuration, logger: StoreFixture.logger)
            try await StoreFixture.withRunning(migrating) {}
            configuration.maximumConnections = 1
            configuration.leaseTimeout = .seconds(3)
            let store = PostgresStore(configuration: configuration, logger: StoreFixture.logger)
            try await StoreFixture.withRunning(store) {
                // Open the pool's one connection first: on a loaded machine that can take longer than
                // the lease timeout, which is not what this test is about.
                var opened = false
                for _ in 0..<100 where !opened { opened = (try? await store.ping()) != nil }
                try #require(opened, "the pool's connection never opened")
                try await store.withConnection { _ in
                    let error = await #expect(throws: PostgresStoreError.self) { try await store.ping() }
                    #expect(error?.isUnavailable == true)
                }
                try await store.ping()
            }
        }
    }
}

/// Counts how many times transaction bodies ran.
actor Attempts {
    private(set) var count = 0

    /// Counts one more run and returns its number (1 for the first).
    @discardableResult
    func add() -> Int {
        count += 1
        return count
    }
}
