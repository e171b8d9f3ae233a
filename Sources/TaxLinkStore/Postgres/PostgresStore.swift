import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// The PostgreSQL store: any number of TaxLink processes share one database through it.
///
/// The store owns a `PostgresClient` (a connection pool) that works only while ``run()`` runs:
/// put the store in the process's `ServiceGroup` (it is a `Service`), or run it in a task for the
/// time a command uses it. ``run()`` first applies the migrations this build carries (see
/// ``migrate()``), then opens the store; calls made before that wait, and fail with the
/// migration's error when it fails.
public final class PostgresStore: Sendable, Service {
    /// How the store connects and behaves.
    public struct Configuration: Sendable {
        /// The database.
        public var endpoint: PostgresEndpoint
        /// Whether ``run()`` applies pending migrations before opening the store (`false` for
        /// `taxlink db status`, which only looks).
        public var migratesOnStart = true
        /// Whether a database that does not exist is created (from the server's `postgres`
        /// database) before migrating; when `false`, a missing database is
        /// ``PostgresStoreError/isMissingDatabase``.
        public var createIfMissing = false
        /// The most connections the pool opens.
        public var maximumConnections = 20
        /// How long opening one connection may take.
        public var connectTimeout: Duration = .seconds(10)
        /// How long a call waits for a pooled connection before it fails as
        /// ``PostgresStoreError/isUnavailable`` (the pool would otherwise keep it waiting while
        /// the database is down, up to a minute).
        public var leaseTimeout: Duration = .seconds(10)
        /// How many times ``withTransaction(isolation:retryingUniqueViolations:_:)`` runs its body
        /// when PostgreSQL aborts it with a serialization failure or a deadlock (at least 1).
        public var transactionAttempts = 5

        /// A configuration with the defaults for `endpoint`.
        public init(endpoint: PostgresEndpoint) {
            self.endpoint = endpoint
        }
    }

    /// The pool. Lease connections through ``withConnection(_:)`` or
    /// ``withTransaction(isolation:retryingUniqueViolations:_:)``, which wait for the migrations and
    /// name an unreachable database as such.
    let client: PostgresClient
    let configuration: Configuration
    let logger: Logger
    let readiness = ReadinessGate()

    /// A store for `configuration`; nothing connects until ``run()``.
    public init(configuration: Configuration, logger: Logger = Logger(label: "taxlink.postgres")) {
        self.configuration = configuration
        self.logger = logger
        self.client = PostgresClient(
            configuration: Self.clientConfiguration(configuration),
            backgroundLogger: logger
        )
    }

    /// Runs the pool until the task is cancelled or the service group shuts down gracefully;
    /// meanwhile creates the database when asked to, applies the migrations, and opens the store.
    ///
    /// Throws when the store cannot be opened (a newer build's migrations, a failed migration, a
    /// missing database), after failing every call that waited for it.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            defer { readiness.fail(PostgresStoreError.closed) }
            do {
                try await open()
                readiness.open()
            } catch {
                readiness.fail(error)
                group.cancelAll()
                throw error
            }
            try await group.next()
        }
    }

    /// Runs the store (see ``run()``) for the time of `body`, which starts once the store is open;
    /// then stops the client. For commands that use the store and end; a server puts the store in
    /// its `ServiceGroup` instead.
    public func withRunning<T>(_ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            try await readiness.wait()
            return try await body()
        }
    }

    /// Answers when the database does: one `SELECT 1` on a pooled connection (for `/readyz`).
    public func ping() async throws {
        try await withConnection { connection in
            _ = try await connection.query("SELECT 1", logger: logger)
        }
    }

    /// Leases a pooled connection for `body`, after the store is open.
    ///
    /// Errors that mean the database does not answer become ``PostgresStoreError`` with
    /// ``PostgresStoreError/isUnavailable``; others pass through unchanged (a `PSQLError` of the server).
    func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await readiness.wait()
        return try await leased(body)
    }

    private static func clientConfiguration(_ configuration: Configuration) -> PostgresClient.Configuration {
        let endpoint = configuration.endpoint
        var client = PostgresClient.Configuration(
            host: endpoint.host,
            port: endpoint.port,
            username: endpoint.user,
            password: endpoint.password?.value,
            database: endpoint.database,
            tls: tls(endpoint.sslMode)
        )
        client.options.maximumConnections = max(1, configuration.maximumConnections)
        client.options.connectTimeout = configuration.connectTimeout
        return client
    }

    /// `disable`: plain TCP; `require`: TLS without checking the certificate; `verify-full`: TLS
    /// with the certificate checked against the system's trust roots and the host name.
    static func tls(_ mode: PostgresEndpoint.SSLMode) -> PostgresClient.Configuration.TLS {
        mode == .disable ? .disable : .require(tlsConfiguration(mode))
    }

    /// The TLS settings of `mode` (not used for ``PostgresEndpoint/SSLMode/disable``).
    static func tlsConfiguration(_ mode: PostgresEndpoint.SSLMode) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if mode == .verifyFull {
            tls.certificateVerification = .fullVerification
            tls.trustRoots = .default
        } else {
            tls.certificateVerification = .none
        }
        return tls
    }
}
