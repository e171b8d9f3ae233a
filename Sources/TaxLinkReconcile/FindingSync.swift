import TaxLinkCore
import TaxLinkStore

/// What a sync did to the stored findings.
public struct FindingsSyncSummary: Sendable, Hashable {
    /// Findings seen for the first time.
    public var opened = 0
    /// Findings superseded earlier that are found again.
    public var reopened = 0
    /// Findings whose content changed.
    public var updated = 0
    /// Active findings no longer found.
    public var superseded = 0
    /// Findings found again unchanged.
    public var unchanged = 0

    /// Nothing done yet.
    public init() {}
}

/// How the findings of a reconciliation become the stored ones: new ones open, changed ones are updated,
/// resolved ones that reappear reopen, and active ones no longer found are resolved as superseded. Pure
/// functions of the computed findings and the stored versions; the store only applies the writes.
enum FindingSync {
    /// What becomes of one finding.
    enum Decision: Sendable, Hashable, CaseIterable {
        /// Found and not stored: stored as open.
        case open
        /// Found again after the reconciler or an analyst resolved it and it went inactive: open again.
        case reopen
        /// Found with new content, or found again while inactive but not resolved: content replaced.
        case update
        /// Found with the content stored: nothing written.
        case unchanged
        /// Active and no longer found: resolved as superseded (only made inactive when already resolved).
        case supersede
    }

    /// The decision for a finding computed with `fingerprint` (`nil`: not found by this run) and stored
    /// as `stored` (`nil`: not stored); `nil` when there is nothing to do or count.
    static func decision(fingerprint: String?, stored: FindingVersion?) -> Decision? {
        switch (fingerprint, stored) {
        case (nil, nil): nil
        case (_?, nil): .open
        case (nil, let stored?): stored.workflow.active ? .supersede : nil
        case (let fingerprint?, let stored?):
            if !stored.workflow.active {
                stored.workflow.status == FindingStatus.resolved.rawValue ? .reopen : .update
            } else {
                stored.fingerprint == fingerprint ? .unchanged : .update
            }
        }
    }

    /// The write that carries out `decision` for finding `id`, now `content` (when found) and stored as
    /// `stored`, at `at` by `actor`; `nil` when nothing is written.
    static func write(
        _ decision: Decision,
        id: String,
        content: FindingContentRow?,
        stored: FindingVersion?,
        at: Timestamp,
        actor: String
    ) -> FindingWrite? {
        func history(from: String?, to: FindingStatus, reason: String) -> FindingHistoryRow {
            FindingHistoryRow(at: at, fromStatus: from, toStatus: to.rawValue, actor: actor, note: nil, reason: reason)
        }
        let open = FindingStatus.open.rawValue
        switch (decision, content, stored) {
        case (.open, let content?, _):
            let workflow = FindingWorkflowRow(
                status: open,
                resolution: nil,
                active: true,
                detectedAt: at,
                updatedAt: at
            )
            return .insert(content, workflow, history: history(from: nil, to: .open, reason: "detected"))
        case (.reopen, let content?, let stored?):
            var workflow = stored.workflow
            (workflow.status, workflow.resolution, workflow.active, workflow.updatedAt) = (open, nil, true, at)
            let entry = history(from: stored.workflow.status, to: .open, reason: "reappeared")
            return .update(id: id, expected: stored, content: content, workflow: workflow, history: entry)
        case (.update, let content?, let stored?):
            var workflow = stored.workflow
            (workflow.active, workflow.updatedAt) = (true, at)
            return .update(id: id, expected: stored, content: content, workflow: workflow, history: nil)
        case (.supersede, _, let stored?):
            var workflow = stored.workflow
            workflow.active = false
            guard stored.workflow.status != FindingStatus.resolved.rawValue else {
                return .update(id: id, expected: stored, content: nil, workflow: workflow, history: nil)
            }
            (workflow.status, workflow.resolution, workflow.updatedAt) =
                (FindingStatus.resolved.rawValue, "superseded", at)
            let entry = history(from: stored.workflow.status, to: .resolved, reason: "superseded")
            return .update(id: id, expected: stored, content: nil, workflow: workflow, history: entry)
        default:
            return nil
        }
    }

    /// The writes that make `stored` the findings of a reconciliation that found `findings` (the first of
    /// each id counts) at `at`, and what they amount to.
    static func plan(
        _ findings: [FindingContent],
        stored: [String: FindingVersion],
        at: Timestamp,
        actor: String
    ) -> (writes: [FindingWrite], summary: FindingsSyncSummary) {
        var writes: [FindingWrite] = []
        var summary = FindingsSyncSummary()
        var seen = Set<String>()
        seen.reserveCapacity(findings.count)
        func apply(_ decision: Decision?, id: String, content: FindingContentRow?) {
            guard let decision else { return }
            switch decision {
            case .open: summary.opened += 1
            case .reopen: summary.reopened += 1
            case .update: summary.updated += 1
            case .unchanged: summary.unchanged += 1
            case .supersede: summary.superseded += 1
            }
            let version = stored[id]
            if let write = write(decision, id: id, content: content, stored: version, at: at, actor: actor) {
                writes.append(write)
            }
        }
        for finding in findings where seen.insert(finding.id).inserted {
            let content = finding.row
            apply(
                decision(fingerprint: content.fingerprint, stored: stored[finding.id]),
                id: finding.id,
                content: content
            )
        }
        for (id, version) in stored.filter({ !seen.contains($0.key) }).sorted(by: { $0.key < $1.key }) {
            apply(decision(fingerprint: nil, stored: version), id: id, content: nil)
        }
        return (writes, summary)
    }
}
