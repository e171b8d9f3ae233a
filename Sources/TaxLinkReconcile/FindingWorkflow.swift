import TaxLinkCore
import TaxLinkStore

/// The analysts' workflow: open → acknowledged → resolved, each change with a note and an actor, every
/// change kept in the finding's history. A resolved or acknowledged finding can be reopened.
public struct FindingWorkflow: Sendable {
    /// The longest note accepted.
    public static let maximumNoteLength = 2_000

    private let storage: any FindingsStorage

    public init(storage: any FindingsStorage) {
        self.storage = storage
    }

    /// Moves finding `id` to `status` (`open`, `acknowledged` or `resolved`).
    ///
    /// Throws ``ReconcileError``: invalid argument for an unknown status, a missing note or actor; not
    /// found; invalid transition when the workflow does not allow the change from the current status.
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
        do {
            return try await storage.changeFindingStatus(id: id, to: target, note: note, actor: actor, at: at)
        } catch let error as FindingsStorageError where error.isNotFound {
            throw ReconcileError.notFound(error.message)
        } catch let error as FindingsStorageError where error.isInvalidTransition {
            throw ReconcileError.invalidTransition(error.message)
        }
    }
}
