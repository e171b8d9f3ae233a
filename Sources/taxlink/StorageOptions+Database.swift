import Foundation
import TaxLinkStore

extension StorageOptions {
    /// ``databaseURL`` parsed; the password of a PostgreSQL URL without one comes from
    /// `TAXLINK_DATABASE_PASSWORD`.
    func parsedDatabaseURL() throws -> DatabaseURL {
        try Self.failingClearly {
            try DatabaseURL(parsing: databaseURL, environment: ProcessInfo.processInfo.environment)
        }
    }

    /// Opens (and migrates) the SQLite store at `path`; a missing file is created only when asked.
    static func openSQLite(path: String, creatingIfMissing: Bool) throws -> SQLiteStore {
        var configuration = SQLiteStore.Configuration(path: path)
        configuration.createIfMissing = creatingIfMissing
        return try failingClearly { try SQLiteStore(configuration: configuration) }
    }

    /// Runs `body`, turning the storage errors a person can act on (a bad URL, a missing database,
    /// an unreachable or newer-migrated PostgreSQL) into a one-line ``CommandFailure``.
    static func failingClearly<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw clearly(error)
        }
    }

    /// The synchronous form of ``failingClearly(_:)-(()async throws->T)``.
    static func failingClearly<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw clearly(error)
        }
    }

    private static func clearly(_ error: any Error) -> any Error {
        switch error {
        case let error as DatabaseURLError: CommandFailure(error.message)
        case let error as StoreOpenError: CommandFailure(error.message)
        case let error as PostgresStoreError: CommandFailure(error.message)
        default: error
        }
    }
}
