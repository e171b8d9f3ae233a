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

/// A consistent read of the inputs of reconciliation, valid only inside
/// ``FindingsStorage/withReconciliationSnapshot(_:)``.
public protocol ReconciliationSnapshot {
    /// Calls `body` with the latest revision of every record (of one platform and period when given).
    func forEachLatestRecord(
        platform: String?,
        period: TaxPeriod?,
        _ body: (LatestRecordRow) throws -> Void
    ) throws

    /// Calls `body` with the latest revision of each of `recordIDs` that exists.
    func latestRecords(recordIDs: [String], _ body: (LatestRecordRow) throws -> Void) throws

    /// Completed returns still waiting for their sale.
    func pendingReturnClaims() throws -> [ReturnClaim]

    /// Settlements, summed per order, that name an order never pushed in any status.
    func orphanSettlements() throws -> [OrphanSettlement]

    /// The declaration in force (the highest version) of every platform and period.
    func declarationsInForce() throws -> [Declaration]

    /// Every record rejection from verified ministry receipts.
    func recordRejections() throws -> [MinistryRejection]
}

/// The latest revision of a record as the store keeps it. `body` is borrowed from the database and is
/// valid only during the call that receives it.
public struct LatestRecordRow {
    public var revision: Int
    public var platform: String
    public var kind: RecordKind
    public var externalID: String
    public var originalExternalID: String?
    public var sellerID: String
    public var occurredAt: Timestamp
    public var receivedAt: Timestamp
    /// `ready`, `quarantined`, or an outbox state.
    public var status: String
    /// The ingest flags, comma separated (empty for none).
    public var flags: String
    /// The difference a source total showed at ingest, else `nil`.
    public var sourceDifference: Int64?
    public var cashOnDelivery: Bool
    /// Σ settlements of the order (sales only), `nil` when none.
    public var settledAmount: Int64?
    /// The canonical JSON of the record.
    public var body: UnsafeRawBufferPointer

    public init(
        revision: Int,
        platform: String,
        kind: RecordKind,
        externalID: String,
        originalExternalID: String?,
        sellerID: String,
        occurredAt: Timestamp,
        receivedAt: Timestamp,
        status: String,
        flags: String,
        sourceDifference: Int64?,
        cashOnDelivery: Bool,
        settledAmount: Int64?,
        body: UnsafeRawBufferPointer
    ) {
        self.revision = revision
        self.platform = platform
        self.kind = kind
        self.externalID = externalID
        self.originalExternalID = originalExternalID
        self.sellerID = sellerID
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.status = status
        self.flags = flags
        self.sourceDifference = sourceDifference
        self.cashOnDelivery = cashOnDelivery
        self.settledAmount = settledAmount
        self.body = body
    }

    /// `<platform>:<kind>:<external_id>`.
    public var recordID: String { "\(platform):\(kind.rawValue):\(externalID)" }
}

/// The settlements of one order that was never pushed.
public struct OrphanSettlement: Sendable, Hashable {
    public var platform: String
    public var orderID: String
    /// Σ amounts.
    public var amount: Int64
    public var count: Int
    public var firstPaidAt: Timestamp

    public init(platform: String, orderID: String, amount: Int64, count: Int, firstPaidAt: Timestamp) {
        self.platform = platform
        self.orderID = orderID
        self.amount = amount
        self.count = count
        self.firstPaidAt = firstPaidAt
    }
}

/// Where a finding is in the analysts' workflow.
public enum FindingStatus: String, Sendable, Hashable, CaseIterable {
    case open
    case acknowledged
    case resolved

    /// Whether an analyst may move a finding from this status to `target`: open → acknowledged → resolved,
    /// open → resolved, and back to open (reopen) from either of the others.
    public func allowsChange(to target: FindingStatus) -> Bool {
        switch (self, target) {
        case (.open, .acknowledged), (.open, .resolved), (.acknowledged, .resolved), (.acknowledged, .open),
            (.resolved, .open):
            true
        default: false
        }
    }
}

/// How serious a finding is.
public enum FindingSeverity: String, Sendable, Hashable, CaseIterable {
    case critical
    case warning
    case info
}

/// What a finding is about.
public enum FindingScope: String, Sendable, Hashable, CaseIterable {
    case record
    case seller
    case settlement
    case sellerPeriod = "seller-period"
}

/// One discrepancy as the reconciler computes it: the same data gives the same content.
public struct FindingContent: Sendable, Hashable {
    /// Stable across runs: derived from the code and the identifying key.
    public var id: String
    public var code: DiscrepancyCode
    public var scope: FindingScope
    public var severity: FindingSeverity
    public var platform: String
    public var taxPeriod: String?
    public var platformSellerID: String?
    /// The business group of seller-period findings.
    public var category: String?
    public var taxID: String?
    public var recordID: String?
    public var externalID: String?
    public var revision: Int?
    public var expected: JSONValue
    public var actual: JSONValue
    public var amountAtRisk: Int64
    public var detail: String

    public init(
        id: String,
        code: DiscrepancyCode,
        scope: FindingScope,
        severity: FindingSeverity,
        platform: String,
        taxPeriod: String?,
        platformSellerID: String?,
        category: String?,
        taxID: String?,
        recordID: String?,
        externalID: String?,
        revision: Int?,
        expected: JSONValue,
        actual: JSONValue,
        amountAtRisk: Int64,
        detail: String
    ) {
        self.id = id
        self.code = code
        self.scope = scope
        self.severity = severity
        self.platform = platform
        self.taxPeriod = taxPeriod
        self.platformSellerID = platformSellerID
        self.category = category
        self.taxID = taxID
        self.recordID = recordID
        self.externalID = externalID
        self.revision = revision
        self.expected = expected
        self.actual = actual
        self.amountAtRisk = amountAtRisk
        self.detail = detail
    }
}

/// A stored finding: its content and where it is in the workflow.
public struct StoredFinding: Sendable, Hashable {
    public var content: FindingContent
    public var status: FindingStatus
    /// The `as_of` of the reconciliation that first found it.
    public var detectedAt: Timestamp
    public var updatedAt: Timestamp
    /// Whether the latest reconciliation still found it.
    public var active: Bool
    /// Why it was last resolved (`superseded`, or the analyst's note), while resolved.
    public var resolution: String?

    public init(
        content: FindingContent,
        status: FindingStatus,
        detectedAt: Timestamp,
        updatedAt: Timestamp,
        active: Bool,
        resolution: String?
    ) {
        self.content = content
        self.status = status
        self.detectedAt = detectedAt
        self.updatedAt = updatedAt
        self.active = active
        self.resolution = resolution
    }
}

/// One change of a finding's status.
public struct FindingHistoryEntry: Sendable, Hashable {
    public var at: Timestamp
    /// `nil` when the finding was first detected.
    public var from: FindingStatus?
    public var to: FindingStatus
    public var actor: String
    public var note: String?
    /// `detected`, `superseded`, `reappeared` or `analyst`.
    public var reason: String

    public init(at: Timestamp, from: FindingStatus?, to: FindingStatus, actor: String, note: String?, reason: String) {
        self.at = at
        self.from = from
        self.to = to
        self.actor = actor
        self.note = note
        self.reason = reason
    }
}

/// Which findings to read, in which order, which page.
public struct FindingQuery: Sendable, Hashable {
    public var platform: String?
    public var period: String?
    /// Any of these codes (all when empty).
    public var codes: [DiscrepancyCode] = []
    public var severities: [FindingSeverity] = []
    public var statuses: [FindingStatus] = []
    /// A `platform_seller_id`.
    public var seller: String?
    public var sort: FindingSort = .amount
    /// At most this many (all when `nil`).
    public var limit: Int?
    public var offset: Int = 0

    public init() {}
}

/// The order of a report.
public enum FindingSort: String, Sendable, Hashable, CaseIterable {
    /// Amount at risk, largest first (the default); then code, platform, record, id.
    case amount
    /// Detection time, newest first; then as ``amount``.
    case detected
}

/// A page of findings.
public struct FindingPage: Sendable, Hashable {
    public var findings: [StoredFinding]
    /// How many match the query before paging.
    public var total: Int

    public init(findings: [StoredFinding], total: Int) {
        self.findings = findings
        self.total = total
    }
}

/// A column findings can be totalled by.
public enum FindingDimension: String, Sendable, Hashable, CaseIterable {
    case code
    case platform
    case period = "tax_period"
}

/// The count and tax at risk of the findings sharing one value.
public struct FindingTotal: Sendable, Hashable {
    /// The value (`nil` for findings without one, such as a seller finding's period).
    public var key: String?
    public var count: Int
    public var amountAtRisk: Int64

    public init(key: String?, count: Int, amountAtRisk: Int64) {
        self.key = key
        self.count = count
        self.amountAtRisk = amountAtRisk
    }
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

    public var description: String { message }
}
