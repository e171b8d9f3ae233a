import Logging
import PostgresNIO
import _ConnectionPoolModule

extension PostgresStore {
    /// The isolation a transaction runs at.
    enum IsolationLevel: String, Sendable {
        /// PostgreSQL's default: each statement sees what was committed before it began.
        case readCommitted = "READ COMMITTED"
        /// One snapshot for the whole transaction; conflicting writers abort with 40001.
        case repeatableRead = "REPEATABLE READ"
        /// As if the transactions ran one after another; conflicts abort with 40001.
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` in one transaction on a pooled connection: `BEGIN`, the body, `COMMIT`; a body
    /// that throws is rolled back and its error rethrown.
    ///
    /// When PostgreSQL aborts the transaction with `serialization_failure` (40001) or
    /// `deadlock_detected` (40P01), the transaction is rolled back and the **whole body runs again**
    /// on a fresh transaction, up to ``Configuration/transactionAttempts`` times in all; the last
    /// failure is rethrown. With `retryingUniqueViolations`, a `unique_violation` (23505) is retried
    /// the same way: for a body that reads before it inserts, where another process inserted the
    /// same key between the read and the insert (the retry then reads that row). The body must
    /// therefore do nothing outside the database that cannot be repeated.
    func withTransaction<T>(
        isolation: IsolationLevel = .readCommitted,
        retryingUniqueViolations: Bool = false,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let attempts = max(1, configuration.transactionAttempts)
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try await Self.transaction(on: connection, isolation: isolation, logger: logger, body)
                }
            } catch let error as PSQLError
                where attempt < attempts && Self.isRetryable(error, uniqueViolations: retryingUniqueViolations)
            {
                logger.debug(
                    "transaction retried",
                    metadata: ["sqlstate": "\(error.serverInfo?[.sqlState] ?? "")", "attempt": "\(attempt)"]
                )
                attempt += 1
            }
        }
    }

    private static func transaction<T>(
        on connection: PostgresConnection,
        isolation: IsolationLevel,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.query(
            PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue)"),
            logger: logger
        )
        do {
            let value = try await body(connection)
            try await connection.query("COMMIT", logger: logger)
            return value
        } catch {
            // A connection that cannot roll back is closed by the pool; the body's error is the one to report.
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    private static func isRetryable(_ error: PSQLError, uniqueViolations: Bool) -> Bool {
        switch error.serverInfo?[.sqlState] {
        case "40001", "40P01": true
        case "23505": uniqueViolations
        default: false
        }
    }

    /// `error` as the store reports it: a fault meaning the database does not answer becomes
    /// ``PostgresStoreError`` (``PostgresStoreError/isUnavailable``); others are returned unchanged.
    static func classify(_ error: any Error, endpoint: PostgresEndpoint) -> any Error {
        if let error = error as? ConnectionPoolError, error == .connectionCreationCircuitBreakerTripped {
            return PostgresStoreError.unavailable(endpoint, cause: error)
        }
        if let error = error as? ClosedConnectionError { return PostgresStoreError.unavailable(endpoint, cause: error) }
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return PostgresStoreError.unavailable(endpoint, cause: error)
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            // 08: connection exception; 57P01–57P03: the server is shutting down or starting;
            // 53300: too many connections.
            let down = state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
            return down ? PostgresStoreError.unavailable(endpoint, cause: error) : error
        default:
            return error
        }
    }
}
