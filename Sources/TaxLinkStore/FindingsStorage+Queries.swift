import TaxLinkCore

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
