import Foundation
import TaxLinkCore
import TaxLinkStore
import Testing

@testable import TaxLinkReconcile

/// The rules the store used to hold, now pure functions above it: the status workflow, the sync decision
/// and the quarantine release.
@Suite("Finding rules above the store")
struct FindingRulesTests {
    static let at = Timestamp(unixSeconds: 1_800_000_000)
    static let earlier = Timestamp(unixSeconds: 1_700_000_000)

    static func workflow(_ status: FindingStatus, active: Bool = true, resolution: String? = nil) -> FindingWorkflowRow
    {
        FindingWorkflowRow(
            status: status.rawValue,
            resolution: resolution,
            active: active,
            detectedAt: earlier,
            updatedAt: earlier
        )
    }

    static func version(_ status: FindingStatus, active: Bool, fingerprint: String = "f1") -> FindingVersion {
        FindingVersion(fingerprint: fingerprint, workflow: workflow(status, active: active))
    }

    static func content(_ id: String = "d-1", detail: String = "wrong") -> FindingContent {
        FindingContent(
            id: id,
            code: .withholdingMissing,
            scope: .record,
            severity: .warning,
            platform: "shopee",
            taxPeriod: "2026-01",
            platformSellerID: "S1",
            category: nil,
            taxID: "0100233488",
            recordID: "shopee:sale:1",
            externalID: "1",
            revision: 1,
            expected: .int(15_000),
            actual: nil,
            amountAtRisk: 15_000,
            detail: detail
        )
    }

    @Test(
        "the workflow allows exactly open → acknowledged → resolved, open → resolved, and reopening",
        arguments: [
            (FindingStatus.open, FindingStatus.open, false), (.open, .acknowledged, true), (.open, .resolved, true),
            (.acknowledged, .open, true), (.acknowledged, .acknowledged, false), (.acknowledged, .resolved, true),
            (.resolved, .open, true), (.resolved, .acknowledged, false), (.resolved, .resolved, false),
        ]
    )
    func workflowRule(from: FindingStatus, to: FindingStatus, allowed: Bool) throws {
        #expect(from.allowsChange(to: to) == allowed)
        let row = FindingRow(content: Self.content().row, workflow: Self.workflow(from))
        guard allowed else {
            #expect(throws: ReconcileError.invalidTransition("a finding cannot move from \(from) to \(to)")) {
                try FindingWorkflow.change(row, to: to, note: "n", actor: "lan", at: Self.at)
            }
            return
        }
        let (write, changed) = try FindingWorkflow.change(row, to: to, note: "n", actor: "lan", at: Self.at)
        #expect(changed.workflow.status == to.rawValue && changed.workflow.updatedAt == Self.at)
        #expect(changed.workflow.resolution == (to == .resolved ? "n" : nil))
        let history = FindingHistoryRow(
            at: Self.at,
            fromStatus: from.rawValue,
            toStatus: to.rawValue,
            actor: "lan",
            note: "n",
            reason: "analyst"
        )
        let expected = FindingVersion(fingerprint: row.content.fingerprint, workflow: row.workflow)
        #expect(
            write == .update(id: "d-1", expected: expected, content: nil, workflow: changed.workflow, history: history)
        )
    }

    @Test(
        "the sync decision of a finding follows from whether it was found and how it is stored",
        arguments: [
            (String?.none, FindingVersion?.none, FindingSync.Decision?.none),
            ("f1", nil, .open),
            ("f1", version(.open, active: true), .unchanged),
            ("f2", version(.open, active: true), .update),
            ("f1", version(.acknowledged, active: true), .unchanged),
            ("f1", version(.resolved, active: true), .unchanged),
            ("f1", version(.resolved, active: false), .reopen),
            ("f2", version(.resolved, active: false), .reopen),
            ("f1", version(.open, active: false), .update),
            ("f1", version(.acknowledged, active: false), .update),
            (nil, version(.open, active: true), .supersede),
            (nil, version(.acknowledged, active: true), .supersede),
            (nil, version(.resolved, active: true), .supersede),
            (nil, version(.resolved, active: false), nil),
            (nil, version(.open, active: false), nil),
        ]
    )
    func syncDecision(fingerprint: String?, stored: FindingVersion?, decision: FindingSync.Decision?) {
        #expect(FindingSync.decision(fingerprint: fingerprint, stored: stored) == decision)
    }

    @Test(
        "each sync decision writes the workflow and history it names",
        arguments: [
            // decision, stored status and active, written status, resolution, active, touched, history reason
            (
                FindingSync.Decision.open, FindingStatus?.none, "open", String?.none, true, true,
                String?.some("detected")
            ),
            (.reopen, .resolved, "open", nil, true, true, "reappeared"),
            (.update, .acknowledged, "acknowledged", nil, true, true, nil),
            (.supersede, .open, "resolved", "superseded", false, true, "superseded"),
            (.supersede, .acknowledged, "resolved", "superseded", false, true, "superseded"),
            (.supersede, .resolved, "resolved", "by hand", false, false, nil),
        ]
    )
    func syncWrite(
        decision: FindingSync.Decision,
        storedStatus: FindingStatus?,
        status: String,
        resolution: String?,
        active: Bool,
        touched: Bool,
        reason: String?
    ) throws {
        let stored = storedStatus.map {
            FindingVersion(
                fingerprint: "old",
                workflow: Self.workflow($0, active: decision != .reopen, resolution: $0 == .resolved ? "by hand" : nil)
            )
        }
        let content = decision == .supersede ? nil : Self.content().row
        let write = try #require(
            FindingSync.write(decision, id: "d-1", content: content, stored: stored, at: Self.at, actor: "reconciler")
        )
        let (workflow, history): (FindingWorkflowRow, FindingHistoryRow?)
        switch write {
        case .insert(let written, let insertedWorkflow, let entry):
            #expect(written == content && stored == nil)
            (workflow, history) = (insertedWorkflow, entry)
        case .update(let id, let expected, let written, let updatedWorkflow, let entry):
            #expect(id == "d-1" && expected == stored && written == content)
            (workflow, history) = (updatedWorkflow, entry)
        }
        #expect(workflow.status == status && workflow.resolution == resolution && workflow.active == active)
        #expect(workflow.updatedAt == (touched ? Self.at : Self.earlier))
        #expect(workflow.detectedAt == (stored == nil ? Self.at : Self.earlier))
        #expect(history?.reason == reason)
        #expect(history.map { $0.fromStatus == storedStatus?.rawValue && $0.actor == "reconciler" } ?? true)
    }

    @Test func unchangedFindingsWriteNothingAndTheSummaryCountsEveryDecision() {
        let same = Self.content("d-1")
        let changed = Self.content("d-2", detail: "new")
        let stored = [
            "d-1": FindingVersion(fingerprint: same.row.fingerprint, workflow: Self.workflow(.open)),
            "d-2": Self.version(.acknowledged, active: true, fingerprint: "old"),
            "d-3": Self.version(.open, active: true),
            "d-4": Self.version(.resolved, active: false),
        ]
        let fresh = Self.content("d-0")
        let (writes, summary) = FindingSync.plan(
            [same, changed, fresh, Self.content("d-0", detail: "a duplicate id counts once")],
            stored: stored,
            at: Self.at,
            actor: "reconciler"
        )
        #expect(writes.map(\.id) == ["d-2", "d-0", "d-3"])
        var expected = FindingsSyncSummary()
        (expected.opened, expected.updated, expected.unchanged, expected.superseded) = (1, 1, 1, 1)
        #expect(summary == expected)
    }

    @Test(
        "a quarantined latest revision is released exactly when no flag of it quarantines",
        arguments: [
            ("quarantined", "", true),
            ("quarantined", "CATEGORY_UNKNOWN,WITHHOLDING_MISMATCH", true),
            ("quarantined", "TAX_ID_MISSING", false),
            ("quarantined", "CATEGORY_UNKNOWN,TAX_ID_INVALID", false),
            ("quarantined", "FUTURE_DATED", false),
            ("quarantined", "NOT_A_CODE", true),
            ("ready", "", false),
            ("ready", "TAX_ID_MISSING", false),
            ("sealed", "", false),
        ]
    )
    func release(status: String, flags: String, released: Bool) {
        #expect(QuarantineRelease.releases(status: status, flags: flags) == released)
    }

    @Test func settledOrdersNoSaleMetAreTheOrphanCandidatesPerPlatform() throws {
        let index = SettlementIndex([
            SettledOrderRow(platform: "shopee", orderID: "B", amount: 5),
            SettledOrderRow(platform: "shopee", orderID: "A", amount: 7),
            SettledOrderRow(platform: "lazada", orderID: "A", amount: 9),
        ])
        let shopeeA = try #require(index.settled(platform: "shopee", orderID: "A"))
        #expect(shopeeA.amount == 7)
        #expect(index.settled(platform: "tiktok", orderID: "A") == nil)
        #expect(index.unmet([]) == ["shopee": ["A", "B"], "lazada": ["A"]])
        #expect(index.unmet([shopeeA.slot]) == ["shopee": ["B"], "lazada": ["A"]])
    }
}
