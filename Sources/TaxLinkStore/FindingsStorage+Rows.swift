import TaxLinkCore

/// The content columns of a finding as stored: what the reconciler computed, in text and integers.
public struct FindingContentRow: Sendable, Hashable {
    /// `id`: the finding's stable id.
    public var id: String
    /// `code`: the discrepancy code.
    public var code: String
    /// `scope`.
    public var scope: String
    /// `severity`.
    public var severity: String
    /// `platform`.
    public var platform: String
    /// `tax_period` (`YYYY-MM`).
    public var taxPeriod: String?
    /// `platform_seller_id`.
    public var platformSellerID: String?
    /// `category`.
    public var category: String?
    /// `tax_id`.
    public var taxID: String?
    /// `record_id`.
    public var recordID: String?
    /// `external_id`.
    public var externalID: String?
    /// `revision`.
    public var revision: Int?
    /// `expected`: JSON text.
    public var expected: String
    /// `actual`: JSON text.
    public var actual: String
    /// `amount_at_risk`, in VND.
    public var amountAtRisk: Int64
    /// `detail`.
    public var detail: String
    /// `fingerprint`: a digest of the other columns, compared to tell whether the content changed.
    public var fingerprint: String

    /// Every column, as named.
    public init(
        id: String,
        code: String,
        scope: String,
        severity: String,
        platform: String,
        taxPeriod: String?,
        platformSellerID: String?,
        category: String?,
        taxID: String?,
        recordID: String?,
        externalID: String?,
        revision: Int?,
        expected: String,
        actual: String,
        amountAtRisk: Int64,
        detail: String,
        fingerprint: String
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
        self.fingerprint = fingerprint
    }
}

/// The workflow columns of a finding.
public struct FindingWorkflowRow: Sendable, Hashable {
    /// `status`.
    public var status: String
    /// `resolution`.
    public var resolution: String?
    /// `active`: whether the latest reconciliation found it.
    public var active: Bool
    /// `detected_at`.
    public var detectedAt: Timestamp
    /// `updated_at`.
    public var updatedAt: Timestamp

    /// Every column, as named.
    public init(status: String, resolution: String?, active: Bool, detectedAt: Timestamp, updatedAt: Timestamp) {
        self.status = status
        self.resolution = resolution
        self.active = active
        self.detectedAt = detectedAt
        self.updatedAt = updatedAt
    }
}

/// A stored finding: its content and workflow columns.
public struct FindingRow: Sendable, Hashable {
    /// The content columns.
    public var content: FindingContentRow
    /// The workflow columns.
    public var workflow: FindingWorkflowRow

    /// A row of `content` and `workflow`.
    public init(content: FindingContentRow, workflow: FindingWorkflowRow) {
        self.content = content
        self.workflow = workflow
    }
}

/// What a write is decided on: a stored finding's fingerprint and workflow columns.
public struct FindingVersion: Sendable, Hashable {
    /// The content's fingerprint.
    public var fingerprint: String
    /// The workflow columns.
    public var workflow: FindingWorkflowRow

    /// A version of `fingerprint` and `workflow`.
    public init(fingerprint: String, workflow: FindingWorkflowRow) {
        self.fingerprint = fingerprint
        self.workflow = workflow
    }
}

/// One row of a finding's history: a change of its status.
public struct FindingHistoryRow: Sendable, Hashable {
    /// `at`.
    public var at: Timestamp
    /// `from_status` (`nil` when the finding was first detected).
    public var fromStatus: String?
    /// `to_status`.
    public var toStatus: String
    /// `actor`.
    public var actor: String
    /// `note`.
    public var note: String?
    /// `reason`.
    public var reason: String

    /// Every column, as named.
    public init(at: Timestamp, fromStatus: String?, toStatus: String, actor: String, note: String?, reason: String) {
        self.at = at
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.actor = actor
        self.note = note
        self.reason = reason
    }
}

/// One write of ``FindingsStorage/applyFindingWrites(_:)``, decided above the store.
public enum FindingWrite: Sendable, Hashable {
    /// Stores a finding that must not be stored yet, and appends `history` to its history.
    case insert(FindingContentRow, FindingWorkflowRow, history: FindingHistoryRow?)
    /// Sets the workflow columns of finding `id` (and its content columns when `content` is given) and
    /// appends `history`, provided its stored version is still exactly `expected`.
    case update(
        id: String,
        expected: FindingVersion,
        content: FindingContentRow?,
        workflow: FindingWorkflowRow,
        history: FindingHistoryRow?
    )

    /// The finding written.
    public var id: String {
        switch self {
        case .insert(let content, _, _): content.id
        case .update(let id, _, _, _, _): id
        }
    }
}
