import Foundation
import TaxLinkCore
import TaxLinkReconcile
import Testing

@testable import TaxLinkStore

/// The exclusive (incremental) reconciliation on both stores: a re-run with nothing changed reports what a
/// full run reports and writes nothing; after any change, or once the settlement grace passes a sale, its
/// findings are exactly those of a full run.
@Suite("Incremental reconciliation on both stores")
struct IncrementalReconcileTests {
    typealias Feeds = FeedSamples

    /// A sale occurred at 1,768,000,000: `days` after it.
    static func time(days: Int64) -> Timestamp { Timestamp(unixSeconds: 1_768_000_000 + days * 86_400) }

    /// Sales A (settled), B (unsettled, so `SETTLEMENT_MISSING` once the grace has passed), C (settled
    /// for less), a return of A and one of an order never pushed, and a declaration.
    static func fill(_ store: any Storage) async throws {
        try await Feeds.store(store) { feed in
            [
                .items([
                    Feeds.sale("A", feedID: feed), Feeds.sale("B", feedID: feed), Feeds.sale("C", feedID: feed),
                    Feeds.claim("R1", order: "A", feedID: feed), Feeds.claim("R2", order: "Z", feedID: feed),
                ]),
                .settlements([
                    Feeds.settlement("t1", order: "A"), Feeds.settlement("t2", order: "C", amount: 90_000),
                ]),
            ]
        }
        try await Feeds.store(store, source: "shopee/declarations") { _ in [.declaration(Feeds.declaration(revenue: 5))] }
    }

    /// The stored active findings, as the comparison sees them.
    static func active(_ store: any FindingsStorage) async throws -> [FindingContent] {
        try await store.findings(FindingQuery()).findings.filter(\.active).map(\.content).sorted { $0.id < $1.id }
    }

    static func exclusively(_ reconciler: Reconciler, _ asOf: Timestamp) async throws -> ReconciliationSummary {
        try #require(try await reconciler.reconcileExclusively(asOf: asOf).value)
    }

    @Test(arguments: StoreKind.allCases)
    func aRerunWithNothingChangedReportsWhatAFullRunReportsAndWritesNothing(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            try await Self.fill(store)
            let reconciler = Reconciler(storage: store)
            let asOf = Self.time(days: 10)
            let first = try await Self.exclusively(reconciler, asOf)
            #expect(first.total > 3)
            let versions = try await store.findingVersions()
            let again = try await Self.exclusively(reconciler, asOf)
            #expect(try await store.findingVersions() == versions)
            #expect(again.counts == first.counts)
            var unchanged = FindingsSyncSummary()
            unchanged.unchanged = first.sync.opened
            #expect(again.sync == unchanged)
            // What a full re-run reports, computing everything.
            let full = try await reconciler.reconcile(asOf: asOf)
            #expect(full.json == again.json)
            // The full run forgot the mark (it may have changed the findings); the next exclusive run leaves one.
            #expect(try await store.withReconciliationSnapshot { try $0.reconciliationMark() } == nil)
            _ = try await Self.exclusively(reconciler, asOf)
            let mark = try await store.withReconciliationSnapshot { try $0.reconciliationMark() }
            #expect(mark?.asOf == asOf)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anIncrementalRunAfterAChangeEqualsAFullRun(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            try await Self.fill(store)
            let reconciler = Reconciler(storage: store)
            let asOf = Self.time(days: 10)
            _ = try await Self.exclusively(reconciler, asOf)
            let before = try await Self.active(store)
            // B is settled, C corrected and settled in full, the return of Z meets its sale, a new sale D.
            try await Feeds.store(store) { feed in
                [
                    .items([Feeds.sale("C", amount: 90_000, feedID: feed), Feeds.sale("Z", feedID: feed),
                    Feeds.sale("D", feedID: feed)]),
                    .settlements([Feeds.settlement("t3", order: "B")]),
                ]
            }
            let incremental = try await Self.exclusively(reconciler, asOf)
            let after = try await Self.active(store)
            #expect(after != before)
            #expect(after == (try await reconciler.findings(asOf: asOf)).sorted { $0.id < $1.id })
            let full = try await reconciler.reconcile(asOf: asOf)
            #expect(full.counts == incremental.counts)
            #expect(full.sync.unchanged == incremental.total)
            #expect(try await Self.active(store) == after)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aRerunOnceTheSettlementGraceHasPassedASaleFindsItsMissingSettlement(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            try await Self.fill(store)
            let reconciler = Reconciler(storage: store)
            let early = try await Self.exclusively(reconciler, Self.time(days: 2))
            #expect(early.counts[.settlementMissing] == nil)
            // Nothing stored changed; only the time did: B's settlement is now overdue.
            let late = try await Self.exclusively(reconciler, Self.time(days: 4))
            #expect(late.counts[.settlementMissing] == 1)
            #expect(late.sync.opened == 1)
            let expected = try await reconciler.findings(asOf: Self.time(days: 4)).sorted { $0.id < $1.id }
            #expect(try await Self.active(store) == expected)
            // And back before the grace (a run at an earlier time): the finding goes again.
            let back = try await Self.exclusively(reconciler, Self.time(days: 1))
            #expect(back.counts[.settlementMissing] == nil)
            #expect(back.sync.superseded == 1)
        }
    }
}
