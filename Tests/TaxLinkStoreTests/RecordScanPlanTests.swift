import GRDB
import PostgresNIO
import TaxLinkCore
import Testing

@testable import TaxLinkStore

/// The export and the sealer read along an index that gives their order, so each is one pass that
/// sorts nothing and costs time linear in the rows read: asked of each database's planner, since
/// tests never time anything.
@Suite struct RecordScanPlanTests {
    static let queries: [RecordQuery] = [
        RecordQuery(), RecordQuery(allRevisions: true), RecordQuery(platform: "shopee"),
        RecordQuery(platform: "shopee", period: TaxPeriod("2026-01")),
    ]

    @Test func sqliteReadsRecordsAlongThePrimaryKeyAndUnsealedRecordsAlongTheirIndex() async throws {
        try await StoreFixture.withSQLiteURL { _, path in
            let store = try SQLiteStore(path: path)
            for query in Self.queries {
                let (sql, arguments) = SQLiteStore.recordScan(query)
                let plan = try await Self.sqlitePlan(store, sql: sql, arguments: arguments)
                #expect(!plan.contains("TEMP B-TREE"), "\(query): \(plan)")
            }
            let unsealed = try await Self.sqlitePlan(store, sql: SQLiteStore.unsealedRecordsSQL, arguments: [1_000])
            #expect(unsealed.contains("records_unsealed_order") && !unsealed.contains("TEMP B-TREE"), "\(unsealed)")
        }
    }

    /// With sorting and sequential scans priced out, the planner sorts only when no index gives the
    /// order (PostgreSQL still plans a sort then, at a prohibitive cost).
    @Test func postgresReadsRecordsAndUnsealedRecordsAlongAnIndex() async throws {
        try await StoreFixture.withStore(.postgres) { test in
            guard case .postgres(let store) = test.backing else { return }
            for query in Self.queries {
                let plan = try await Self.postgresPlan(store, PostgresStore.recordScan(query, columns: "body"))
                #expect(!plan.contains("Sort"), "\(query): \(plan)")
            }
            let unsealed = try await Self.postgresPlan(
                store,
                """
                SELECT record_id, revision, body FROM records
                WHERE is_latest AND status = 'ready' AND batch_id IS NULL
                ORDER BY received_at, record_id LIMIT 1000
                """
            )
            #expect(unsealed.contains("records_unsealed") && !unsealed.contains("Sort"), "\(unsealed)")
        }
    }

    private static func sqlitePlan(_ store: SQLiteStore, sql: String, arguments: StatementArguments) async throws
        -> String
    {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                .map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    private static func postgresPlan(_ store: PostgresStore, _ query: PostgresQuery) async throws -> String {
        try await store.withTransaction { connection in
            try await connection.query("SET LOCAL enable_sort = off", logger: StoreFixture.logger)
            try await connection.query("SET LOCAL enable_seqscan = off", logger: StoreFixture.logger)
            var explain = query
            explain.sql = "EXPLAIN " + explain.sql
            var lines: [String] = []
            for try await line in try await connection.query(explain, logger: StoreFixture.logger).decode(String.self) {
                lines.append(line)
            }
            return lines.joined(separator: "\n")
        }
    }
}
