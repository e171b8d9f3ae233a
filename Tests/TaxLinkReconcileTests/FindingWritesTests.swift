import Foundation
import HTTPTypes
import Synchronization
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkServer
import TaxLinkStore
import Testing

/// The store applies what reconciliation decided, and only while the state it was decided on still holds:
/// a process that loses the race learns it, and nothing half-written is left.
@Suite("Finding writes are compare-and-set")
struct FindingWritesTests {
    /// One open finding (withholding missing on order 1), its id.
    static func oneFinding(_ store: SQLiteStore) async throws -> String {
        try await store.push([
            Order("1") {
                $0.vat = 0; $0.pit = 0
            }
        ])
        return try #require(try await store.reconcile().first?.content.id)
    }

    @Test func anAnalystChangeThatLosesTheRaceIsAConcurrentChangeAndWritesNothing() async throws {
        try await withTemporaryStore { store in
            let id = try await Self.oneFinding(store)
            let racing = RacingStorage(store) { store in
                _ = try await FindingWorkflow(storage: store).change(
                    id: id,
                    to: "acknowledged",
                    note: "a",
                    actor: "lan"
                )
            }
            do {
                _ = try await FindingWorkflow(storage: racing).change(id: id, to: "resolved", note: "b", actor: "minh")
                Issue.record("a change decided on a status that changed meanwhile must be refused")
            } catch let error as ReconcileError {
                #expect(error.isConcurrentChange)
                let problem = Problem(error, method: .patch, path: "/v1/discrepancies/\(id)")
                #expect(problem.status == .conflict)
            }
            #expect(try await store.finding(id: id)?.status == .acknowledged)
            let history = try await store.findingHistory(ids: [id])[id] ?? []
            #expect(history.map(\.to) == [.open, .acknowledged])
            #expect(history.last?.actor == "lan")
        }
    }

    @Test func aSyncThatMeetsAnAnalystChangeDecidesAgainOnTheNewState() async throws {
        try await withTemporaryStore { store in
            let id = try await Self.oneFinding(store)
            try await store.push([Order("1")])
            let racing = RacingStorage(store) { store in
                _ = try await FindingWorkflow(storage: store).change(
                    id: id,
                    to: "acknowledged",
                    note: "a",
                    actor: "lan"
                )
            }
            let summary = try await Reconciler(storage: racing).reconcile(asOf: sampleAsOf)
            #expect(summary.sync.superseded == 1 && summary.total == 0)
            let finding = try #require(try await store.finding(id: id))
            #expect(finding.status == .resolved && finding.resolution == "superseded" && !finding.active)
            let history = try await store.findingHistory(ids: [id])[id] ?? []
            #expect(history.map(\.reason) == ["detected", "analyst", "superseded"])
            #expect(history.last?.from == .acknowledged)
        }
    }

    @Test func aSyncThatKeepsLosingTheRaceSaysSo() async throws {
        try await withTemporaryStore { store in
            let id = try await Self.oneFinding(store)
            try await store.push([Order("1")])
            let racing = RacingStorage(store, times: 3) { store in
                let workflow = FindingWorkflow(storage: store)
                let status = try await store.finding(id: id)?.status == .open ? "acknowledged" : "open"
                _ = try await workflow.change(id: id, to: status, note: "a", actor: "lan")
            }
            await #expect(throws: ReconcileError.self) {
                do {
                    _ = try await Reconciler(storage: racing).reconcile(asOf: sampleAsOf)
                } catch let error as ReconcileError {
                    #expect(error.isConcurrentChange)
                    throw error
                }
            }
            #expect(try await store.finding(id: id)?.active == true)
        }
    }

    @Test func writesApplyAllOrNothing() async throws {
        try await withTemporaryStore { store in
            let id = try await Self.oneFinding(store)
            let stored = try #require(try await store.findingRow(id: id))
            var fresh = stored.content
            fresh.id = "d-fresh"
            var stale = stored.workflow
            stale.status = "acknowledged"
            var resolved = stored.workflow
            resolved.status = "resolved"
            let writes: [FindingWrite] = [
                .insert(fresh, stored.workflow, history: nil),
                .update(
                    id: id,
                    expected: FindingVersion(fingerprint: stored.content.fingerprint, workflow: stale),
                    content: nil,
                    workflow: resolved,
                    history: nil
                ),
            ]
            await #expect(throws: FindingsStorageError.conflict(id)) { try await store.applyFindingWrites(writes) }
            #expect(try await store.findingRow(id: "d-fresh") == nil)
            #expect(try await store.findingRow(id: id) == stored)
            await #expect(throws: FindingsStorageError.conflict(id)) {
                try await store.applyFindingWrites([.insert(stored.content, stored.workflow, history: nil)])
            }
        }
    }

    @Test func onlyListedRevisionsThatAreStillLatestAndQuarantinedAreReleased() async throws {
        try await withTemporaryStore { store in
            try await store.push([Order("1") { $0.taxID = "" }, Order("2") { $0.taxID = "" }, Order("3")])
            try await store.push([
                Order("2") {
                    $0.taxID = ""; $0.sellerName = "Đổi tên"
                }
            ])
            #expect(try await store.statistics().quarantined == 2)
            let released = try await store.releaseQuarantinedRecords([
                RecordRevision(recordID: "tiki:sale:1", revision: 1),
                RecordRevision(recordID: "tiki:sale:2", revision: 1),
                RecordRevision(recordID: "tiki:sale:3", revision: 1),
                RecordRevision(recordID: "tiki:sale:4", revision: 1),
            ])
            #expect(released == 1)
            #expect(try await store.statistics().quarantined == 1)
        }
    }
}

/// The real store, with another process's work slipped in just before each of the first `times` writes is
/// applied: the interleaving two processes produce when they read the same findings at once.
final class RacingStorage: FindingsStorage {
    private let store: SQLiteStore
    private let interleave: @Sendable (SQLiteStore) async throws -> Void
    private let remaining: Mutex<Int>

    init(_ store: SQLiteStore, times: Int = 1, interleave: @escaping @Sendable (SQLiteStore) async throws -> Void) {
        self.store = store
        self.interleave = interleave
        remaining = Mutex(times)
    }

    func applyFindingWrites(_ writes: [FindingWrite]) async throws {
        let race = remaining.withLock { remaining in
            defer { remaining -= 1 }
            return remaining > 0
        }
        if race { try await interleave(store) }
        try await store.applyFindingWrites(writes)
    }

    func withReconciliationSnapshot<T: Sendable>(
        _ body: @Sendable (any ReconciliationSnapshot) throws -> T
    ) async throws -> T {
        try await store.withReconciliationSnapshot(body)
    }

    func findingVersions() async throws -> [String: FindingVersion] { try await store.findingVersions() }

    func releaseQuarantinedRecords(_ records: [RecordRevision]) async throws -> Int {
        try await store.releaseQuarantinedRecords(records)
    }

    func setReconciliationMark(_ mark: ReconciliationMark?) async throws { try await store.setReconciliationMark(mark) }

    func findingRows(_ filter: FindingFilter, order: FindingOrder, limit: Int?, offset: Int) async throws
        -> FindingRowPage
    {
        try await store.findingRows(filter, order: order, limit: limit, offset: offset)
    }

    func findingRow(id: String) async throws -> FindingRow? { try await store.findingRow(id: id) }

    func findingHistoryRows(ids: [String]) async throws -> [String: [FindingHistoryRow]] {
        try await store.findingHistoryRows(ids: ids)
    }

    func findingTotalRows(_ filter: FindingFilter, by column: FindingColumn) async throws -> [FindingTotalRow] {
        try await store.findingTotalRows(filter, by: column)
    }

    func withExclusiveRun<T: Sendable>(_ name: String, _ body: @Sendable () async throws -> T) async throws
        -> ExclusiveRun<T>
    {
        try await store.withExclusiveRun(name, body)
    }
}
