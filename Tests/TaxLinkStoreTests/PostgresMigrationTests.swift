import Logging
import PostgresNIO
import Testing

@testable import TaxLinkStore

@Suite struct PostgresMigrationTests {
    static let migrations = [
        PostgresMigration(
            name: "t001-first",
            sql: "CREATE TABLE first (id int PRIMARY KEY); INSERT INTO first VALUES (1)"
        ),
        PostgresMigration(
            name: "t002-second",
            sql: "CREATE TABLE second (note text); ALTER TABLE first ADD note text;"
        ),
    ]

    /// A store on `endpoint` that only looks at start (the tests migrate it themselves).
    static func store(_ endpoint: PostgresEndpoint, migratesOnStart: Bool = false) -> PostgresStore {
        var configuration = PostgresStore.Configuration(endpoint: endpoint)
        configuration.migratesOnStart = migratesOnStart
        return PostgresStore(configuration: configuration, logger: StoreFixture.logger)
    }

    static func recorded(_ store: PostgresStore) async throws -> [String] {
        try await store.withConnection { connection in
            var names: [String] = []
            let rows = try await connection.query(
                "SELECT name FROM taxlink_migrations ORDER BY name",
                logger: store.logger
            )
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }

    @Test func migrationsAreAppliedOnceAndInOrder() async throws {
        try await StoreFixture.withPostgresDatabase { endpoint in
            let store = Self.store(endpoint)
            try await StoreFixture.withRunning(store) {
                #expect(try await store.migrate(Self.migrations) == ["t001-first", "t002-second"])
                #expect(try await store.migrate(Self.migrations) == [])
                #expect(try await Self.recorded(store) == ["t001-first", "t002-second"])
                let count = try await store.withConnection { connection in
                    try await connection.query("SELECT count(*) FROM first", logger: store.logger)
                        .collect().first?.decode(Int.self)
                }
                #expect(count == 1)
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        try await StoreFixture.withPostgresDatabase { endpoint in
            let store = Self.store(endpoint)
            try await StoreFixture.withRunning(store) {
                let broken =
                    Self.migrations + [
                        PostgresMigration(name: "t003-broken", sql: "CREATE TABLE third (x int); SELECT nonsense")
                    ]
                let error = await #expect(throws: PostgresStoreError.self) { try await store.migrate(broken) }
                #expect(error?.message.contains("t003-broken") == true)
                #expect(try await Self.recorded(store) == ["t001-first", "t002-second"])
                let third = try await store.withConnection { connection in
                    try await connection.query("SELECT to_regclass('third') IS NULL", logger: store.logger)
                        .collect().first?.decode(Bool.self)
                }
                #expect(third == true)
            }
        }
    }

    /// Two stores migrate one fresh database at the same moment: while a third session holds the
    /// migration lock both wait on it (seen in `pg_locks`); once it is released one applies
    /// everything, the other nothing, and each migration is recorded once.
    @Test func twoProcessesMigratingAtOnceApplyEachMigrationOnce() async throws {
        try await StoreFixture.withPostgresDatabase { endpoint in
            let first = Self.store(endpoint)
            let second = Self.store(endpoint)
            try await StoreFixture.withRunning(first) {
                try await StoreFixture.withRunning(second) {
                    try await endpoint.withSingleConnection(logger: StoreFixture.logger) { holder in
                        try await holder.query(
                            "SELECT pg_advisory_lock(\(PostgresStore.migrationLockKey))",
                            logger: StoreFixture.logger
                        )
                        async let one = first.migrate(Self.migrations)
                        async let two = second.migrate(Self.migrations)
                        try await Self.waitForLockWaiters(2, on: holder)
                        try await holder.query(
                            "SELECT pg_advisory_unlock(\(PostgresStore.migrationLockKey))",
                            logger: StoreFixture.logger
                        )
                        let results = try await [one, two]
                        #expect(results.contains(["t001-first", "t002-second"]))
                        #expect(results.contains([]))
                    }
                    #expect(try await Self.recorded(first) == ["t001-first", "t002-second"])
                }
            }
        }
    }

    /// Polls `pg_locks` until `count` sessions wait for an advisory lock (no sleep: each poll is a round trip).
    static func waitForLockWaiters(_ count: Int, on connection: PostgresConnection) async throws {
        while true {
            let waiting =
                try await connection.query(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
                    logger: StoreFixture.logger
                ).collect().first?.decode(Int.self) ?? 0
            if waiting >= count { return }
            try Task.checkCancellation()
            await Task.yield()
        }
    }

    @Test func aDatabaseMigratedByANewerBuildIsRefused() async throws {
        try await StoreFixture.withPostgresDatabase { endpoint in
            let store = Self.store(endpoint)
            try await StoreFixture.withRunning(store) {
                try await store.migrate(Self.migrations)
                try await store.withConnection { connection in
                    _ = try await connection.query(
                        "INSERT INTO taxlink_migrations (name) VALUES ('999-from-a-newer-build')",
                        logger: store.logger
                    )
                }
                let error = await #expect(throws: PostgresStoreError.self) { try await store.migrate(Self.migrations) }
                #expect(error?.isUnknownMigration == true)
                #expect(error?.message.contains("999-from-a-newer-build") == true)
            }
            let opening = Self.store(endpoint, migratesOnStart: true)
            let refusal = await #expect(throws: PostgresStoreError.self) {
                try await StoreFixture.withRunning(opening) {}
            }
            #expect(refusal?.isUnknownMigration == true)
        }
    }

    @Test func aMissingDatabaseIsRefusedUnlessAskedToCreateIt() async throws {
        let endpoint = try await StoreFixture.serverEndpoint().with(
            database: "taxlink_test_missing_\(UInt32.random(in: 0...UInt32.max))"
        )
        let refusal = await #expect(throws: PostgresStoreError.self) {
            try await StoreFixture.withRunning(Self.store(endpoint)) {}
        }
        #expect(refusal?.isMissingDatabase == true)
        var configuration = PostgresStore.Configuration(endpoint: endpoint)
        configuration.createIfMissing = true
        let creating = PostgresStore(configuration: configuration, logger: StoreFixture.logger)
        try await StoreFixture.withRunning(creating) {
            try await creating.ping()
            #expect(try await creating.migrationStatus().pending.isEmpty)
        }
        try await endpoint.dropDatabase(logger: StoreFixture.logger)
    }

    @Test func anUnreachableDatabaseIsUnavailable() async throws {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let endpoint = PostgresEndpoint(user: "postgres", host: "127.0.0.1", port: 1, database: "postgres")
        let error = await #expect(throws: PostgresStoreError.self) {
            try await StoreFixture.withRunning(Self.store(endpoint)) {}
        }
        #expect(error?.isUnavailable == true)
    }
}
