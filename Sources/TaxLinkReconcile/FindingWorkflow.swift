import TaxLinkCore
import TaxLinkStore

/// The analysts' workflow: open → acknowledged → resolved, each change with a note and an actor, every
/// change kept in the finding's history. A resolved or acknowledged finding can be reopened.
///
/// The rule is checked here against the status read; the store writes the change only if the finding is
/// still as read (compare-and-set), so two analysts or processes cannot both move it from the same status.
public struct FindingWorkflow: Sendable {
    /// The longest note accepted.
    public static let maximumNoteLength = 2_000

    private let storage: any FindingsStorage

    /// The workflow over the findings of `storage`.
    public init(storage: any FindingsStorage) {
        self.storage = storage
    }

    /// Moves finding `id` to `status` (`open`, `acknowledged` or `resolved`).
    ///
    /// Throws ``ReconcileError``: invalid argument for an unknown status, a missing note or actor; not
    /// found; invalid transition when the workflow does not allow the change from the current status;
    /// concurrent change when the finding changed between reading it and writing the change.
    public func change(
        id: String,
        to status: String,
        note: String?,
        actor: String,
        at: Timestamp = .now
    ) async throws -> StoredFinding {
        guard let target = FindingStatus(rawValue: status.trimmingWhitespace().lowercased()) else {
            throw ReconcileError.invalidArgument("status: expected open, acknowledged or resolved, found '\(status)'")
        }
        let note = (note ?? "").trimmingWhitespace()
        guard !note.isEmpty else { throw ReconcileError.invalidArgument("note: a status change needs a note") }
        guard note.count <= Self.maximumNoteLength else {
            throw ReconcileError.invalidArgument("note: at most \(Self.maximumNoteLength) characters")
        }
        let actor = actor.trimmingWhitespace()
        guard !actor.isEmpty else { throw ReconcileError.invalidArgument("actor: who makes the change is required") }
        guard let row = try await storage.findingRow(id: id) else {
            throw ReconcileError.notFound("no finding with id '\(id)'")
        }
        let (write, changed) = try Self.change(row, to: target, note: note, actor: actor, at: at)
        do {
            try await storage.applyFindingWrites([write])
        } catch let error as FindingsStorageError where error.isConflict {
            throw ReconcileError.concurrentChange(
                "finding '\(id)' changed while it was being moved to \(target.rawValue); read it again and retry"
            )
        }
        return try StoredFinding(changed)
    }

    /// The write that moves stored finding `row` to `target`, and the row it leaves; throws
    /// ``ReconcileError/invalidTransition(_:)`` when the workflow does not allow the change. The resolution
    /// is the note while resolved, and cleared otherwise.
    static func change(
        _ row: FindingRow,
        to target: FindingStatus,
        note: String,
        actor: String,
        at: Timestamp
    ) throws(ReconcileError) -> (write: FindingWrite, row: FindingRow) {
        let current = FindingStatus(rawValue: row.workflow.status) ?? .open
        guard current.allowsChange(to: target) else {
            throw .invalidTransition("a finding cannot move from \(current.rawValue) to \(target.rawValue)")
        }
        var changed = row
        changed.workflow.status = target.rawValue
        changed.workflow.resolution = target == .resolved ? note : nil
        changed.workflow.updatedAt = at
        let entry = FindingHistoryRow(
            at: at,
            fromStatus: current.rawValue,
            toStatus: target.rawValue,
            actor: actor,
            note: note,
            reason: "analyst"
        )
        let write = FindingWrite.update(
            id: row.content.id,
            expected: FindingVersion(fingerprint: row.content.fingerprint, workflow: row.workflow),
            content: nil,
            workflow: changed.workflow,
            history: entry
        )
        return (write, changed)
    }
}
