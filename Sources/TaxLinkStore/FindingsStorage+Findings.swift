import TaxLinkCore

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
