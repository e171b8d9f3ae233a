import TaxLinkCore
import TaxLinkStore

/// Which findings to read, in which order, which page.
public struct FindingQuery: Sendable, Hashable {
    /// Only this platform (all when `nil`).
    public var platform: String?
    /// Only this tax period, `YYYY-MM` (all when `nil`).
    public var period: String?
    /// Any of these codes (all when empty).
    public var codes: [DiscrepancyCode] = []
    /// Any of these severities (all when empty).
    public var severities: [FindingSeverity] = []
    /// Any of these statuses (all when empty).
    public var statuses: [FindingStatus] = []
    /// A `platform_seller_id`.
    public var seller: String?
    /// The order of the page.
    public var sort: FindingSort = .amount
    /// At most this many (all when `nil`).
    public var limit: Int?
    /// How many matching findings to skip first.
    public var offset: Int = 0

    /// Every active finding, largest amount at risk first.
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
    /// The findings of the page, in the query's order.
    public var findings: [StoredFinding]
    /// How many match the query before paging.
    public var total: Int

    /// A page of `findings` out of `total` matching.
    public init(findings: [StoredFinding], total: Int) {
        self.findings = findings
        self.total = total
    }
}

/// A column findings can be totalled by.
public enum FindingDimension: String, Sendable, Hashable, CaseIterable {
    /// By discrepancy code.
    case code
    /// By platform.
    case platform
    /// By tax period.
    case period = "tax_period"
}

/// The count and tax at risk of the findings sharing one value.
public struct FindingTotal: Sendable, Hashable {
    /// The value (`nil` for findings without one, such as a seller finding's period).
    public var key: String?
    /// How many findings have the value.
    public var count: Int
    /// Σ their tax at risk, in VND.
    public var amountAtRisk: Int64

    /// The totals of the findings with `key`.
    public init(key: String?, count: Int, amountAtRisk: Int64) {
        self.key = key
        self.count = count
        self.amountAtRisk = amountAtRisk
    }
}

extension FindingQuery {
    /// The store's filter of the query's conditions.
    var filter: FindingFilter {
        var filter = FindingFilter()
        filter.platform = platform
        filter.taxPeriod = period
        filter.codes = codes.map(\.rawValue)
        filter.severities = severities.map(\.rawValue)
        filter.statuses = statuses.map(\.rawValue)
        filter.platformSellerID = seller
        return filter
    }
}

extension FindingSort {
    /// The store's order of the sort.
    var order: FindingOrder {
        switch self {
        case .amount: .amountAtRisk
        case .detected: .detectedAt
        }
    }
}

extension FindingDimension {
    /// The store's column of the dimension.
    var column: FindingColumn {
        switch self {
        case .code: .code
        case .platform: .platform
        case .period: .taxPeriod
        }
    }
}
