import ArgumentParser
import Foundation
import Logging
import TaxLinkCore
import TaxLinkStore

extension DbCommand {
    /// `taxlink db copy --from sqlite:PATH --to postgres://…`: moves an embedded deployment to PostgreSQL.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a whole SQLite store into an empty PostgreSQL database, in one transaction.",
            discussion: """
                The target is created when missing and migrated first; it must hold no data. Stop every \
                process writing to the source first. Prints the rows of each table on both sides; \
                nothing is committed unless they are equal.
                """
        )

        @Option(help: "The store to copy: sqlite:PATH.")
        var from: String

        @Option(help: "The target: postgres://USER@HOST[:PORT]/DB (password from TAXLINK_DATABASE_PASSWORD).")
        var to: String

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let source = try Self.parse(from, flag: "--from", environment: environment)
            let target = try Self.parse(to, flag: "--to", environment: environment)
            guard case .sqlite(let path) = source else {
                throw CommandFailure("--from: a copy reads an embedded store; give sqlite:PATH")
            }
            guard case .postgres(let endpoint) = target else {
                throw CommandFailure("--to: a copy writes to PostgreSQL; give postgres://USER@HOST[:PORT]/DB")
            }
            let sqlite = try StorageOptions.openSQLite(path: path, creatingIfMissing: false)
            var configuration = PostgresStore.Configuration(endpoint: endpoint)
            configuration.createIfMissing = true
            let store = PostgresStore(configuration: configuration, logger: Logger.cli)
            let report: StoreCopyReport
            do {
                report = try await StorageOptions.failingClearly {
                    try await store.withRunning { try await StoreCopy.copy(from: sqlite, to: store) }
                }
            } catch let error as StoreCopyError {
                throw CommandFailure(error.message)
            }
            for count in report.tables {
                Output.progress("\(count.table): \(count.source) row(s) in \(source), \(count.target) in \(target)")
            }
            var output = Output()
            output.json(Self.json(report, from: source, to: target))
            output.flush()
        }

        /// `value` parsed, its errors naming `flag` (the parser's name `--database`).
        private static func parse(_ value: String, flag: String, environment: [String: String]) throws -> DatabaseURL {
            do {
                return try DatabaseURL(parsing: value, environment: environment)
            } catch let error as DatabaseURLError {
                let prefix = "--database: "
                let reason =
                    error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                throw CommandFailure("\(flag): \(reason)")
            }
        }

        /// `{"from", "to", "tables": [{"table", "source", "target"}]}`.
        private static func json(_ report: StoreCopyReport, from: DatabaseURL, to: DatabaseURL) -> JSONValue {
            let tables = report.tables.map { count in
                JSONValue.object(
                    JSONObject([
                        ("table", .string(count.table)), ("source", .int(count.source)), ("target", .int(count.target)),
                    ])
                )
            }
            return .object(
                JSONObject([
                    ("from", .string(from.description)), ("to", .string(to.description)), ("tables", .array(tables)),
                ])
            )
        }
    }
}
