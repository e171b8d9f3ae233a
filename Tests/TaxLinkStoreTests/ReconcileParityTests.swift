import TaxLinkCore
import TaxLinkReconcile
import Testing

@testable import TaxLinkStore

/// The reconciler finds the same findings on a SQLite store and on its PostgreSQL copy, and carries
/// their workflow on alike.
@Suite struct ReconcileParityTests {
    @Test func aCopiedStoreReconcilesAsTheOriginal() async throws {
        try await StoreFixture.withSQLiteURL { _, path in
            let sqlite = try SQLiteStore(path: path)
            try await ReconciliationSnapshotTests.fill(sqlite)
            let first = Timestamp(unixSeconds: 1_769_000_000)
            _ = try await Reconciler(storage: sqlite).reconcile(asOf: first)
            try await StoreFixture.withPostgresDatabase { endpoint in
                let postgres = PostgresStore(configuration: .init(endpoint: endpoint), logger: StoreFixture.logger)
                try await postgres.withRunning {
                    _ = try await StoreCopy.copy(from: sqlite, to: postgres)
                    let stores: [any FindingsStorage] = [sqlite, postgres]
                    let later = Timestamp(unixSeconds: 1_772_000_000)
                    let summaries = try await stores.asyncMap {
                        try await Reconciler(storage: $0).reconcile(asOf: later)
                    }
                    #expect(summaries[0].counts == summaries[1].counts && summaries[0].sync == summaries[1].sync)
                    #expect(summaries[0].releasedRecords == summaries[1].releasedRecords)
                    let pages = try await stores.asyncMap {
                        try await $0.findingRows(FindingFilter(), order: .amountAtRisk, limit: nil, offset: 0)
                    }
                    #expect(!pages[0].rows.isEmpty && pages[0] == pages[1])
                    let ids = pages[0].rows.map(\.content.id)
                    let histories = try await stores.asyncMap { try await $0.findingHistoryRows(ids: ids) }
                    #expect(histories[0] == histories[1])
                    for column in FindingColumn.allCases {
                        let totals = try await stores.asyncMap {
                            try await $0.findingTotalRows(FindingFilter(), by: column)
                        }
                        #expect(totals[0] == totals[1])
                    }
                }
            }
        }
    }
}
