import Logging
import PostgresNIO

/// The migrations recorded in a database, against those this build knows.
public struct MigrationStatus: Sendable, Hashable, Codable {
    /// Applied, in the order they were applied (names this build does not know included).
    public var applied: [String]
    /// Known to this build and not applied yet, in the order they will be.
    public var pending: [String]
    /// Applied by a newer build and unknown to this one: a store with any refuses to open.
    public var unknown: [String]

    /// A status from its three lists.
    public init(applied: [String], pending: [String], unknown: [String] = []) {
        self.applied = applied
        self.pending = pending
        self.unknown = unknown
    }
}

extension PostgresStore {
    /// The key of the session-level advisory lock (`pg_advisory_lock`) under which migrations are
    /// applied: the ASCII of "TAXLINK\u{1}" as a 64-bit integer. One process at a time holds it;
    /// a second process starting at the same moment waits for it, then finds nothing pending.
    static let migrationLockKey: Int64 = 0x5441_584C_494E_4B01

    /// Applies the migrations of this build that the database lacks, in order, under the
    /// migration lock, each in its own transaction with its row in `taxlink_migrations`.
    ///
    /// Throws ``PostgresStoreError/isUnknownMigration`` without changing anything when the database
    /// holds a migration this build does not know (a newer build ran on it). Returns the names applied.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await migrate(PostgresMigrations.all)
    }

    /// The applied, pending and unknown migrations; changes nothing.
    public func migrationStatus() async throws -> MigrationStatus {
        try await leased { connection in
            try await Self.status(on: connection, known: PostgresMigrations.all, logger: logger)
        }
    }

    @discardableResult
    func migrate(_ migrations: [PostgresMigration]) async throws -> [String] {
        try await leased { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.migrationLockKey))", logger: logger)
            do {
                let applied = try await Self.applyPending(migrations, on: connection, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLockKey))", logger: logger)
                throw error
            }
        }
    }

    /// Creates the database when asked to, checks it exists, then migrates when asked to (see ``run()``).
    func open() async throws {
        let endpoint = configuration.endpoint
        do {
            try await endpoint.withSingleConnection(logger: logger) { _ in }
        } catch where PostgresEndpoint.isMissingDatabase(error) {
            guard configuration.createIfMissing else { throw PostgresStoreError.missingDatabase(endpoint) }
            try await endpoint.createDatabase(logger: logger)
            logger.notice("created database", metadata: ["database": "\(endpoint.database)"])
        }
        guard configuration.migratesOnStart else { return }
        let applied = try await migrate()
        if !applied.isEmpty {
            logger.notice("applied migrations", metadata: ["migrations": "\(applied.joined(separator: ", "))"])
        }
        try await abandonInterruptedFeeds()
    }

    private static func applyPending(
        _ migrations: [PostgresMigration], on connection: PostgresConnection, logger: Logger
    ) async throws -> [String] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS taxlink_migrations (
                name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        let status = try await status(on: connection, known: migrations, logger: logger)
        guard status.unknown.isEmpty else { throw PostgresStoreError.unknownMigrations(status.unknown) }
        var applied: [String] = []
        for migration in migrations where status.pending.contains(migration.name) {
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO taxlink_migrations (name) VALUES (\(migration.name))", logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw PostgresStoreError.migrationFailed(migration.name, cause: error)
            }
            applied.append(migration.name)
        }
        return applied
    }

    private static func status(
        on connection: PostgresConnection, known: [PostgresMigration], logger: Logger
    ) async throws -> MigrationStatus {
        let exists = try await connection.query(
            "SELECT to_regclass('taxlink_migrations') IS NOT NULL", logger: logger
        ).collect().first?.decode(Bool.self) ?? false
        var applied: [String] = []
        if exists {
            let rows = try await connection.query(
                "SELECT name FROM taxlink_migrations ORDER BY applied_at, name", logger: logger)
            for try await name in rows.decode(String.self) { applied.append(name) }
        }
        let knownNames = known.map(\.name)
        return MigrationStatus(
            applied: applied, pending: knownNames.filter { !applied.contains($0) },
            unknown: applied.filter { !knownNames.contains($0) })
    }
}
