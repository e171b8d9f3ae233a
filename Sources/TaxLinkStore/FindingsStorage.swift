import TaxLinkCore

/// The store behind reconciliation: a consistent read of everything the rules look at, and the
/// findings with their status workflow and history.
public protocol FindingsStorage: Sendable {
    /// Calls `body` inside one read transaction, so every input of a reconciliation comes from the same
    /// snapshot of the store.
    func withReconciliationSnapshot<T: Sendable>(
        _ body: @Sendable (any ReconciliationSnapshot) throws -> T
    ) async throws -> T

    /// Makes the stored findings those of a reconciliation at `at`: new ones are opened, changed ones
    /// updated, ones that reappear after being superseded reopened, and active ones missing from
    /// `findings` resolved with the reason `superseded` by `actor`. Nothing is written when nothing changed.
    func syncFindings(_ findings: [FindingContent], at: Timestamp, actor: String) async throws -> FindingsSyncSummary

    /// Sets the latest revision of a record back to `ready` when it is `quarantined` but its flags no longer
    /// carry a quarantining code; returns how many were released.
    func releaseCorrectedRecords() async throws -> Int

    /// The findings matching `query`, sorted and paged, with the number that match before paging.
    func findings(_ query: FindingQuery) async throws -> FindingPage

    /// One finding, or `nil`.
    func finding(id: String) async throws -> StoredFinding?

    /// The history of each of `ids`, oldest first.
    func findingHistory(ids: [String]) async throws -> [String: [FindingHistoryEntry]]

    /// Moves a finding to `status`, keeping the change in its history. Throws ``FindingsStorageError``
    /// when the finding is unknown or the transition is not allowed.
    func changeFindingStatus(
        id: String,
        to status: FindingStatus,
        note: String,
        actor: String,
        at: Timestamp
    ) async throws -> StoredFinding

    /// Count and tax at risk of the findings matching `query` (paging ignored), per value of `dimension`.
    func findingTotals(_ query: FindingQuery, by dimension: FindingDimension) async throws -> [FindingTotal]
}

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

/// Why a findings operation was refused.
public struct FindingsStorageError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case notFound
        case invalidTransition
        case corrupt
    }

    private let code: Code
    /// What went wrong, for a person.
    public let message: String

    /// No finding has this id.
    public static func notFound(_ id: String) -> FindingsStorageError {
        FindingsStorageError(code: .notFound, message: "no finding with id '\(id)'")
    }

    /// The workflow does not allow this change.
    public static func invalidTransition(from: FindingStatus, to: FindingStatus) -> FindingsStorageError {
        FindingsStorageError(
            code: .invalidTransition,
            message: "a finding cannot move from \(from.rawValue) to \(to.rawValue)"
        )
    }

    /// A stored value that cannot be read back.
    public static func corrupt(_ message: String) -> FindingsStorageError {
        FindingsStorageError(code: .corrupt, message: message)
    }

    /// Whether the finding does not exist.
    public var isNotFound: Bool { code == .notFound }
    /// Whether the transition is not allowed.
    public var isInvalidTransition: Bool { code == .invalidTransition }

    /// The ``message``.
    public var description: String { message }
}
