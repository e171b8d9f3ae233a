import Foundation
import Logging
import NIOSSL
import PostgresNIO

extension PostgresEndpoint {
    /// Runs `body` on one connection of its own, outside any pool, closed afterwards: to look
    /// before the pool starts, and to create or drop a database.
    public func withSingleConnection<T>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let tls: PostgresConnection.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .require, .verifyFull:
                .require(try NIOSSLContext(configuration: PostgresStore.tlsConfiguration(sslMode)))
            }
        let configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: user,
            password: password?.value,
            database: database,
            tls: tls
        )
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw PostgresStore.classify(error, endpoint: self)
        }
        do {
            let value = try await body(connection)
            try? await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw PostgresStore.classify(error, endpoint: self)
        }
    }

    /// Creates this endpoint's database (connected to the server's `postgres` database); a
    /// database that already exists is left as it is.
    public func createDatabase(logger: Logger) async throws {
        try await with(database: "postgres").withSingleConnection(logger: logger) { connection in
            do {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "CREATE DATABASE \(quotedDatabase)"),
                    logger: logger
                )
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
                return  // duplicate_database: created meanwhile by another process
            }
        }
    }

    /// Drops this endpoint's database when it exists, closing the sessions still on it.
    public func dropDatabase(logger: Logger) async throws {
        try await with(database: "postgres").withSingleConnection(logger: logger) { connection in
            _ = try await connection.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(quotedDatabase) WITH (FORCE)"),
                logger: logger
            )
        }
    }

    /// Whether `error` says that this endpoint's database does not exist (SQLSTATE 3D000).
    static func isMissingDatabase(_ error: any Error) -> Bool {
        ((error as? PostgresStoreError)?.cause as? PSQLError ?? error as? PSQLError)?.serverInfo?[.sqlState] == "3D000"
    }

    /// The database name as a quoted SQL identifier.
    private var quotedDatabase: String {
        "\"" + database.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
