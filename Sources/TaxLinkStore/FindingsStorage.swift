import TaxLinkCore

/// The store behind reconciliation, in storage terms: a consistent read of everything the rules look at,
/// the findings as plain rows (text, integers, JSON text), and writes applied exactly as they are given.
///
/// The store decides nothing: which findings open, reopen, change or are superseded, which status changes
/// the workflow allows, and which quarantined records are released are decided above it
/// (`TaxLinkReconcile`). Writes carry the state they were decided on, and the store applies them only while
/// that state still holds (compare-and-set), so two processes cannot both act on the same finding.
public protocol FindingsStorage: Sendable {
    /// Calls `body` inside one read transaction, so every input of a reconciliation comes from the same
    /// snapshot of the store.
    func withReconciliationSnapshot<T: Sendable>(
        _ body: @Sendable (any ReconciliationSnapshot) throws -> T
    ) async throws -> T

    /// The fingerprint and workflow columns of every stored finding, by finding id.
    func findingVersions() async throws -> [String: FindingVersion]

    /// Applies `writes` in order, in one transaction: all of them, or none. Throws
    /// ``FindingsStorageError/conflict(_:)`` (and writes nothing) when an insert meets a finding that is
    /// already stored, or an update's finding is no longer exactly its `expected` version.
    func applyFindingWrites(_ writes: [FindingWrite]) async throws

    /// Keeps `mark` as the one the last reconciliation left (`nil`: forgets it), in a transaction of its own.
    func setReconciliationMark(_ mark: ReconciliationMark?) async throws

    /// Sets each of `records` back to `ready` when it is still the latest revision of its record and still
    /// `quarantined`; the others are left as they are. Returns how many were changed.
    func releaseQuarantinedRecords(_ records: [RecordRevision]) async throws -> Int

    /// The findings matching `filter`, in `order`, `offset` skipped and at most `limit` (all when `nil`),
    /// with the number that match before paging.
    func findingRows(
        _ filter: FindingFilter,
        order: FindingOrder,
        limit: Int?,
        offset: Int
    ) async throws -> FindingRowPage

    /// One finding, or `nil`.
    func findingRow(id: String) async throws -> FindingRow?

    /// The history of each of `ids`, in the order it was written.
    func findingHistoryRows(ids: [String]) async throws -> [String: [FindingHistoryRow]]

    /// Count and Σ `amount_at_risk` (clamped to `Int64`) of the findings matching `filter`, per value of
    /// `column`, the largest sum first, then by value.
    func findingTotalRows(_ filter: FindingFilter, by column: FindingColumn) async throws -> [FindingTotalRow]

    /// Runs `body` while this handle holds the exclusive run called `name` across every process on the
    /// database; returns ``ExclusiveRun/held(holder:)`` without running it when another process (or
    /// another handle in this one) holds it. The run is released when `body` returns or throws, and by
    /// the operating system or the database server when the holding process dies, so a crashed holder
    /// never blocks the next run.
    func withExclusiveRun<T: Sendable>(
        _ name: String,
        _ body: @Sendable () async throws -> T
    ) async throws -> ExclusiveRun<T>
}

/// Why the store refused a findings operation.
public struct FindingsStorageError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case conflict
        case corrupt
    }

    private let code: Code
    /// What went wrong, for a person.
    public let message: String

    /// A write's finding is not in the state the write was decided on: another process changed it first.
    public static func conflict(_ id: String) -> FindingsStorageError {
        FindingsStorageError(
            code: .conflict,
            message: "finding '\(id)' was changed by someone else meanwhile; read it again and retry"
        )
    }

    /// A stored value that cannot be read back.
    public static func corrupt(_ message: String) -> FindingsStorageError {
        FindingsStorageError(code: .corrupt, message: message)
    }

    /// Whether a compare-and-set lost to a concurrent change.
    public var isConflict: Bool { code == .conflict }

    /// The ``message``.
    public var description: String { message }
}
