import Foundation
import GRDB
import PostgresNIO
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TestSupport
import Testing

@testable import TaxLinkStore

/// The narrow columns reconciliation reads (``RecordFacts``) on both stores: written at ingest beside
/// the body, filled from the body by the migration for records stored before them, and always what
/// the body says.
@Suite("Narrow record columns on both stores")
struct RecordFactsTests {
    /// Every latest record's narrow columns as the snapshot reads them (`nil`: missing), and the facts
    /// its body gives, by `record_id#revision`.
    struct Read: Equatable {
        var columns: [String: RecordFacts?] = [:]
        var bodies: [String: RecordFacts] = [:]
        var lookedUp: [String: RecordFacts?] = [:]
    }

    static func read(_ store: any FindingsStorage) async throws -> Read {
        try await store.withReconciliationSnapshot { snapshot in
            var read = Read()
            try snapshot.forEachLatestFacts { row, facts in read.columns["\(row.recordID)#\(row.revision)"] = facts }
            try snapshot.forEachLatestRecord(platform: nil, period: nil) { row, body in
                let bytes = body.withUnsafeBufferPointer { Array($0) }
                let record = try TransactionRecord(json: JSONParser.parse(bytes))
                read.bodies["\(row.recordID)#\(row.revision)"] = RecordFacts(record)
            }
            let some = read.columns.keys.sorted().prefix(3).map { String($0.prefix { $0 != "#" }) }
            try snapshot.latestFacts(recordIDs: some + ["shopee:sale:none"]) { row, facts in
                read.lookedUp["\(row.recordID)#\(row.revision)"] = facts
            }
            return read
        }
    }

    /// Pushes every bundled sample feed into `store` (sales, refunds, many groups, missing and
    /// invalid tax ids, personal ids, non-residents).
    static func fill(_ store: any Storage) async throws {
        let ingestor = Ingestor(storage: store)
        let receivedAt = try #require(SampleFeedsEndToEndTests.receivedAt)
        for feed in SampleFeeds.all {
            let url = SampleFeedsEndToEndTests.root.appendingPathComponent("mocks/feeds/\(feed.file)")
            _ = try await ingestor.ingest(
                source: FeedSource(path: feed.path, format: feed.format),
                format: feed.format,
                body: Array(try Data(contentsOf: url)),
                receivedAt: receivedAt
            )
        }
    }

    static func expectAgree(_ read: Read) {
        #expect(read.columns.count > 10)
        #expect(read.columns.values.allSatisfy { $0 != nil })
        #expect(read.columns.compactMapValues { $0 } == read.bodies)
        #expect(read.lookedUp.count == 3)
        for (key, facts) in read.lookedUp { #expect(facts == read.bodies[key]) }
        let lines = read.bodies.values.map(\.lines.count)
        #expect(lines.contains { $0 > 1 }, "the samples hold records of several lines")
    }

    @Test(arguments: StoreKind.allCases)
    func narrowColumnsWrittenAtIngestAreWhatTheBodySays(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            try await Self.fill(store)
            Self.expectAgree(try await Self.read(store))
        }
    }

    /// A database written before the narrow columns existed (the columns and index dropped and the
    /// migration unrecorded, which is that schema exactly) gets them from the bodies when opened.
    @Test(arguments: StoreKind.allCases)
    func theMigrationFillsTheNarrowColumnsOfRecordsStoredBefore(kind: StoreKind) async throws {
        let drop = RecordFactColumns.names.map { "ALTER TABLE records DROP COLUMN \($0)" }
        switch kind {
        case .sqlite:
            try await StoreFixture.withSQLiteURL { _, path in
                let before: Read
                do {
                    let store = try SQLiteStore(path: path)
                    try await Self.fill(store)
                    before = try await Self.read(store)
                    try await store.pool.write { db in
                        try db.execute(sql: "DROP INDEX records_facts")
                        for statement in drop { try db.execute(sql: statement) }
                        try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-record-facts'")
                    }
                }
                let reopened = try SQLiteStore(path: path)
                let after = try await Self.read(reopened)
                Self.expectAgree(after)
                #expect(after == before)
            }
        case .postgres:
            try await StoreFixture.withPostgresDatabase { endpoint in
                let store = PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint), logger: StoreFixture.logger)
                try await StoreFixture.withRunning(store) {
                    try await Self.fill(store)
                    let before = try await Self.read(store)
                    try await store.withConnection { connection in
                        for statement in drop {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
                        }
                        try await connection.query(
                            "DELETE FROM taxlink_migrations WHERE name = '004-record-facts'",
                            logger: store.logger
                        )
                    }
                    #expect(try await store.migrate(PostgresMigrations.all) == ["004-record-facts"])
                    let after = try await Self.read(store)
                    Self.expectAgree(after)
                    #expect(after == before)
                }
            }
        }
    }
}
