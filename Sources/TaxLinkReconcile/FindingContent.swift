import TaxLinkCore

/// One discrepancy as the reconciler computes it: the same data gives the same content.
public struct FindingContent: Sendable, Hashable {
    /// Stable across runs: derived from the code and the identifying key.
    public var id: String
    /// What kind of discrepancy it is.
    public var code: DiscrepancyCode
    /// What it is about: a record, a seller, a seller and period, or an order's settlements.
    public var scope: FindingScope
    /// How urgent it is.
    public var severity: FindingSeverity
    /// The platform of the data it is about.
    public var platform: String
    /// The tax period (`YYYY-MM`), when it has one.
    public var taxPeriod: String?
    /// The seller's id on the platform, when it is about a seller.
    public var platformSellerID: String?
    /// The business group of seller-period findings.
    public var category: String?
    /// The seller's tax code or national id, when known.
    public var taxID: String?
    /// The record id (`platform:kind:external_id`), for a record finding.
    public var recordID: String?
    /// The platform's id of the record, order or return.
    public var externalID: String?
    /// The record revision it was found on.
    public var revision: Int?
    /// What the rules expected (a figure, a text, or `null`).
    public var expected: JSONValue
    /// What the data holds instead (`null` when missing).
    public var actual: JSONValue
    /// The tax at risk, in VND (0 when none can be named).
    public var amountAtRisk: Int64
    /// What is wrong, in words.
    public var detail: String

    /// Every field, as named.
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
    /// What the reconciler found.
    public var content: FindingContent
    /// Where it is in the analysts' workflow.
    public var status: FindingStatus
    /// The `as_of` of the reconciliation that first found it.
    public var detectedAt: Timestamp
    /// When its content or status last changed.
    public var updatedAt: Timestamp
    /// Whether the latest reconciliation still found it.
    public var active: Bool
    /// Why it was last resolved (`superseded`, or the analyst's note), while resolved.
    public var resolution: String?

    /// Every field, as named.
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
    /// When the change happened.
    public var at: Timestamp
    /// `nil` when the finding was first detected.
    public var from: FindingStatus?
    /// The status it changed to.
    public var to: FindingStatus
    /// Who made the change (`reconciler`, or the analyst's name).
    public var actor: String
    /// The analyst's note, when there was one.
    public var note: String?
    /// `detected`, `superseded`, `reappeared` or `analyst`.
    public var reason: String

    /// Every field, as named.
    public init(at: Timestamp, from: FindingStatus?, to: FindingStatus, actor: String, note: String?, reason: String) {
        self.at = at
        self.from = from
        self.to = to
        self.actor = actor
        self.note = note
        self.reason = reason
    }
}
