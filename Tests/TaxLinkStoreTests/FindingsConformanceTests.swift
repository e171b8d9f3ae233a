import Foundation
import TaxLinkCore
import Testing

@testable import TaxLinkStore

/// ``FindingsStorage`` on both stores: compare-and-set writes, queries, totals, history, quarantine
/// release and the reconciliation snapshot give the same answers.
@Suite struct FindingsConformanceTests {
    typealias Samples = FindingSamples

    @Test(arguments: StoreKind.allCases)
    func writesAreAppliedAllOrNoneAndOnlyOnTheVersionTheyWereDecidedOn(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            let first = Samples.content("f1")
            try await store.applyFindingWrites([Samples.insert(first)])
            let stored = try #require(try await store.findingVersions()["f1"])
            #expect(stored == FindingVersion(fingerprint: "fp-1", workflow: Samples.workflow()))
            #expect(try await store.findingRow(id: "f1") == FindingRow(content: first, workflow: Samples.workflow()))
            #expect(try await store.findingRow(id: "none") == nil)

            // An insert of a stored id fails the whole call: the other insert is not kept.
            let again = await #expect(throws: FindingsStorageError.self) {
                try await store.applyFindingWrites([Samples.insert(Samples.content("f2")), Samples.insert(first)])
            }
            #expect(again?.isConflict == true)
            #expect(try await store.findingVersions().keys.sorted() == ["f1"])

            // An update decided on a version that is no longer stored changes nothing.
            let stale = FindingVersion(fingerprint: "fp-1", workflow: Samples.workflow("acknowledged"))
            let lost = await #expect(throws: FindingsStorageError.self) {
                try await store.applyFindingWrites([Samples.move("f1", from: stale, to: "resolved", at: 1_200)])
            }
            #expect(lost?.isConflict == true)

            // Content and workflow change together; the history keeps both rows in order.
            let changed = Samples.content("f1", amount: 5_000, fingerprint: "fp-2")
            let workflow = Samples.workflow("acknowledged", updated: 1_300)
            try await store.applyFindingWrites([
                .update(
                    id: "f1",
                    expected: stored,
                    content: changed,
                    workflow: workflow,
                    history: Samples.history("open", "acknowledged", at: 1_300)
                )
            ])
            #expect(try await store.findingRow(id: "f1") == FindingRow(content: changed, workflow: workflow))
            let history = try await store.findingHistoryRows(ids: ["f1", "none"])
            #expect(
                history == [
                    "f1": [Samples.history(nil, "open", at: 1_000), Samples.history("open", "acknowledged", at: 1_300)]
                ]
            )
            #expect(try await store.findingHistoryRows(ids: []).isEmpty)
        }
    }

    /// f-a and f-b on shopee January, the same code and amount (f-b seller-level, no record), f-c on
    /// lazada without a period.
    static func storeThree(in store: any FindingsStorage) async throws {
        try await store.applyFindingWrites([
            Samples.insert(Samples.content("f-a", recordID: "shopee:sale:A", amount: 500), at: 1_000),
            Samples.insert(Samples.content("f-b", amount: 500), at: 1_001),
            Samples.insert(
                Samples.content("f-c", platform: "lazada", period: nil, recordID: "lazada:sale:C", amount: 900),
                at: 999
            ),
        ])
    }

    @Test(arguments: StoreKind.allCases)
    func rowsAreFilteredOrderedAndPagedAlike(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            try await Self.storeThree(in: store)
            let all = try await store.findingRows(FindingFilter(), order: .amountAtRisk, limit: nil, offset: 0)
            // Equal amounts: by code, then platform, then record id with the seller-level one (no record) first.
            #expect(all.rows.map(\.content.id) == ["f-c", "f-b", "f-a"] && all.total == 3)
            let newest = try await store.findingRows(FindingFilter(), order: .detectedAt, limit: 2, offset: 1)
            #expect(newest.rows.map(\.content.id) == ["f-a", "f-c"] && newest.total == 3)
            var filter = FindingFilter()
            filter.platform = "shopee"
            filter.codes = ["LATE_REPORT", "SETTLEMENT_ORPHAN"]
            filter.taxPeriod = "2026-01"
            filter.statuses = ["open"]
            filter.severities = ["high"]
            filter.platformSellerID = "9"
            let shopee = try await store.findingRows(filter, order: .amountAtRisk, limit: 1, offset: 0)
            #expect(shopee.rows.map(\.content.id) == ["f-b"] && shopee.total == 2)
            filter.statuses = ["resolved"]
            #expect(try await store.findingRows(filter, order: .amountAtRisk, limit: nil, offset: 0).total == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func totalsAreCountedAndClampedAlike(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            try await Self.storeThree(in: store)
            try await store.applyFindingWrites([
                Samples.insert(Samples.content("f-d", recordID: "shopee:sale:D", amount: .max))
            ])
            #expect(
                try await store.findingTotalRows(FindingFilter(), by: .platform) == [
                    FindingTotalRow(key: "shopee", count: 3, amountAtRisk: .max),
                    FindingTotalRow(key: "lazada", count: 1, amountAtRisk: 900),
                ]
            )
            #expect(
                try await store.findingTotalRows(FindingFilter(), by: .taxPeriod) == [
                    FindingTotalRow(key: "2026-01", count: 3, amountAtRisk: .max),
                    FindingTotalRow(key: nil, count: 1, amountAtRisk: 900),
                ]
            )
            var lazada = FindingFilter()
            lazada.platform = "lazada"
            #expect(
                try await store.findingTotalRows(lazada, by: .code) == [
                    FindingTotalRow(key: "LATE_REPORT", count: 1, amountAtRisk: 900)
                ]
            )
        }
    }

    @Test(arguments: StoreKind.allCases)
    func onlyLatestQuarantinedRevisionsAreReleased(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            try await OutboxSamples.store(
                [
                    OutboxSamples.sale("A"), OutboxSamples.sale("G", quarantined: true),
                    OutboxSamples.sale("H", quarantined: true),
                ],
                at: 100,
                in: store
            )
            try await OutboxSamples.store([OutboxSamples.sale("H", amount: 1, quarantined: true)], at: 200, in: store)
            let revision = { (id: String, number: Int) in
                RecordRevision(recordID: OutboxSamples.recordID(id), revision: number)
            }
            let asked = [revision("A", 1), revision("G", 1), revision("H", 1), revision("X", 1)]
            #expect(try await store.releaseQuarantinedRecords(asked) == 1)
            #expect(try await store.releaseQuarantinedRecords(asked) == 0)
            #expect(try await store.releaseQuarantinedRecords([]) == 0)
            let statistics = try await store.statistics()
            #expect(statistics.quarantined == 1 && statistics.records == 3)
        }
    }
}

extension StoreFixture {
    /// Runs `body` with a fresh store of `kind`, as the reconciler, the feed path and the outbox see it.
    static func withFindings(
        _ kind: StoreKind,
        _ body: (any Storage & OutboxStorage & FindingsStorage) async throws -> Void
    ) async throws {
        try await withStore(kind) { store in
            switch store.backing {
            case .sqlite(let sqlite): try await body(sqlite)
            case .postgres(let postgres): try await body(postgres)
            }
        }
    }
}
