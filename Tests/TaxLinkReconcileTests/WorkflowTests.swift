import Foundation
import GRDB
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

@Suite("Determinism and workflow")
struct WorkflowTests {
    @Test func twoRunsWithTheSameAsOfGiveByteIdenticalReportsAndStableIDs() async throws {
        var reports: [[UInt8]] = []
        for _ in 0..<2 {
            try await withTemporaryStore { store in
                try await SampleFeedsTests.ingestSamples(into: store)
                let first = try await Reconciler(storage: store).reconcile(asOf: sampleAsOf)
                #expect(first.sync.opened == first.total)
                let before = try await store.findings(FindingQuery())
                let again = try await Reconciler(storage: store).reconcile(asOf: sampleAsOf)
                #expect(again.sync.opened == 0 && again.sync.updated == 0 && again.sync.superseded == 0)
                #expect(again.sync.unchanged == first.total)
                let after = try await store.findings(FindingQuery())
                #expect(before == after)
                let history = try await store.findingHistory(ids: after.findings.map(\.content.id))
                #expect(history.values.allSatisfy { $0.count == 1 })
                reports.append(
                    DiscrepancyReport.render(after.findings, format: .json)
                        + DiscrepancyReport.render(after.findings, format: .csv)
                )
            }
        }
        #expect(reports[0] == reports[1])
        #expect(!reports[0].isEmpty)
    }

    @Test func aCorrectedRevisionSupersedesTheFindingAndReleasesTheRecord() async throws {
        try await withTemporaryStore { store in
            try await store.push([Order("1") { $0.taxID = "" }])
            var quarantined: [Bool] = []
            try await store.forEachRecord(RecordQuery()) { quarantined.append($0.quarantined) }
            #expect(quarantined == [true])
            let finding = try #require(try await store.reconcile().with(.taxIDMissing).first)
            try await store.push([Order("1")], receivedAt: sampleReceivedAt.adding(seconds: 60))
            #expect(try await store.reconcile().isEmpty)
            let resolved = try #require(try await store.finding(id: finding.content.id))
            #expect(resolved.status == .resolved && resolved.resolution == "superseded" && !resolved.active)
            let history = try await store.findingHistory(ids: [finding.content.id])[finding.content.id] ?? []
            #expect(history.map(\.reason) == ["detected", "superseded"])
            #expect(history.last?.actor == "reconciler")
            quarantined = []
            try await store.forEachRecord(RecordQuery()) { quarantined.append($0.quarantined) }
            #expect(quarantined == [false])
        }
    }

    @Test func reconciliationReleasesALatestRevisionThatNoLongerQuarantines() async throws {
        try await withTemporaryStore { store, path in
            try await store.push([Order("1")])
            try await DatabaseQueue(path: path).write { db in
                try db.execute(sql: "UPDATE records SET status = 'quarantined' WHERE is_latest = 1")
            }
            let summary = try await Reconciler(storage: store).reconcile(asOf: sampleAsOf)
            #expect(summary.releasedRecords == 1)
            try await store.forEachRecord(RecordQuery()) { #expect(!$0.quarantined) }
        }
    }

    @Test func aFindingThatReappearsIsReopened() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") {
                    $0.vat = 0; $0.pit = 0
                }
            ])
            let id = try #require(try await store.reconcile().first?.content.id)
            try await store.push([Order("1")])
            #expect(try await store.reconcile().isEmpty)
            try await store.push([
                Order("1") {
                    $0.vat = 0; $0.pit = 0; $0.sellerName = "Lại sai"
                }
            ])
            let reopened = try #require(try await store.reconcile().first)
            #expect(reopened.content.id == id)
            #expect(reopened.status == .open && reopened.content.revision == 3)
            let history = try await store.findingHistory(ids: [id])[id] ?? []
            #expect(history.map(\.reason) == ["detected", "superseded", "reappeared"])
        }
    }

    @Test func analystsMoveFindingsThroughTheWorkflowWithNotes() async throws {
        try await withTemporaryStore { store in
            try await store.push([
                Order("1") {
                    $0.vat = 0; $0.pit = 0
                }
            ])
            let id = try #require(try await store.reconcile().first?.content.id)
            let workflow = FindingWorkflow(storage: store)
            let acknowledged = try await workflow.change(id: id, to: "acknowledged", note: "đang xem", actor: "lan")
            #expect(acknowledged.status == .acknowledged)
            await #expect(throws: ReconcileError.self) {
                try await workflow.change(id: id, to: "acknowledged", note: "x", actor: "lan")
            }
            await #expect(throws: ReconcileError.self) {
                try await workflow.change(id: id, to: "resolved", note: "  ", actor: "lan")
            }
            await #expect(throws: ReconcileError.self) {
                try await workflow.change(id: id, to: "closed", note: "x", actor: "lan")
            }
            await #expect(throws: ReconcileError.self) {
                try await workflow.change(id: "d-0", to: "resolved", note: "x", actor: "lan")
            }
            let resolved = try await workflow.change(
                id: id,
                to: "resolved",
                note: "nền tảng đã nộp bổ sung",
                actor: "lan"
            )
            #expect(resolved.status == .resolved && resolved.resolution == "nền tảng đã nộp bổ sung")
            do {
                _ = try await workflow.change(id: id, to: "acknowledged", note: "x", actor: "lan")
                Issue.record("resolved → acknowledged must be refused")
            } catch let error as ReconcileError {
                #expect(error.isInvalidTransition)
            }
            // Still found, so a re-run keeps the analyst's decision.
            #expect(try await store.reconcile().first?.status == .resolved)
            let history = try await store.findingHistory(ids: [id])[id] ?? []
            #expect(history.map(\.to) == [.open, .acknowledged, .resolved])
            #expect(history.dropFirst().allSatisfy { $0.actor == "lan" && $0.reason == "analyst" })
            #expect(history.last?.note == "nền tảng đã nộp bổ sung")
            let reopened = try await workflow.change(id: id, to: "open", note: "chưa xong", actor: "minh")
            #expect(reopened.status == .open)
        }
    }
}

@Suite("Parallel pass")
struct ParallelPassTests {
    @Test(arguments: [1, 2, 3])
    func workersGiveTheSameFindingsAsOneThread(_ workers: Int) async throws {
        try await withTemporaryStore { store in
            try await SampleFeedsTests.ingestSamples(into: store)
            try await store.push([
                Order("1") {
                    $0.seller = "30021"; $0.taxID = "0312345673"
                },
                RefundAndSettlementTests.refund("R1", of: "1", 1_200_000),
                Order("2") {
                    $0.seller = "NEW"; $0.vat = 0
                },
            ])
            var single = Reconciler.Configuration()
            single.workers = 1
            let reference = try await Reconciler(storage: store, configuration: single).findings(asOf: sampleAsOf)
            var parallel = Reconciler.Configuration()
            parallel.workers = workers
            parallel.scanBatchSize = 7
            let findings = try await Reconciler(storage: store, configuration: parallel).findings(asOf: sampleAsOf)
            #expect(findings == reference)
            #expect(Set(reference.map(\.code)).count >= 7)
        }
    }
}
