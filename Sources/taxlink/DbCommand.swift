import ArgumentParser
import Foundation
import Logging
import TaxLinkCore
import TaxLinkStore

/// `taxlink db …`: the schema migrations, for operators who apply them by hand.
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Apply and inspect the database's schema migrations.",
        subcommands: [Migrate.self, Status.self, Copy.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Apply the pending migrations (also done at start, under a lock); creates the database when missing."
        )
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let url = try storage.parsedDatabaseURL()
            let (appliedNow, status) = try await Self.migrate(url)
            Output.progress("\(url): applied \(appliedNow.count) migration(s), \(status.applied.count) in all")
            var output = Output()
            output.json(status.json(database: url, appliedNow: appliedNow))
            output.flush()
        }

        private static func migrate(_ url: DatabaseURL) async throws -> ([String], MigrationStatus) {
            switch url {
            case .sqlite(let path):
                let before =
                    FileManager.default.fileExists(atPath: path) ? try SQLiteStore.migrationStatus(path: path) : nil
                _ = try StorageOptions.openSQLite(path: path, creatingIfMissing: true)
                let after = try SQLiteStore.migrationStatus(path: path)
                return (after.applied.filter { !(before?.applied.contains($0) ?? false) }, after)
            case .postgres(let endpoint):
                var configuration = PostgresStore.Configuration(endpoint: endpoint)
                configuration.migratesOnStart = false
                configuration.createIfMissing = true
                let store = PostgresStore(configuration: configuration, logger: Logger.cli)
                return try await StorageOptions.failingClearly {
                    try await store.withRunning {
                        let applied = try await store.migrate()
                        return (applied, try await store.migrationStatus())
                    }
                }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The applied and pending migrations (and any a newer build applied); changes nothing."
        )
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let url = try storage.parsedDatabaseURL()
            let status = try await Self.status(url)
            var output = Output()
            output.json(status.json(database: url, appliedNow: nil))
            output.flush()
        }

        private static func status(_ url: DatabaseURL) async throws -> MigrationStatus {
            switch url {
            case .sqlite(let path):
                return try StorageOptions.failingClearly { try SQLiteStore.migrationStatus(path: path) }
            case .postgres(let endpoint):
                var configuration = PostgresStore.Configuration(endpoint: endpoint)
                configuration.migratesOnStart = false
                let store = PostgresStore(configuration: configuration, logger: Logger.cli)
                return try await StorageOptions.failingClearly {
                    try await store.withRunning { try await store.migrationStatus() }
                }
            }
        }
    }
}

extension MigrationStatus {
    /// `{"database", "applied", "pending", "unknown"}`, and `"applied_now"` after `db migrate`.
    fileprivate func json(database: DatabaseURL, appliedNow: [String]?) -> JSONValue {
        let names = { (list: [String]) in JSONValue.array(list.map(JSONValue.string)) }
        var members: [(key: String, value: JSONValue)] = [
            ("database", .string(database.description)), ("applied", names(applied)), ("pending", names(pending)),
            ("unknown", names(unknown)),
        ]
        if let appliedNow { members.append(("applied_now", names(appliedNow))) }
        return .object(JSONObject(members))
    }
}
