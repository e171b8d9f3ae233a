/// Which stored findings to read: each condition is on one column, and all must hold.
public struct FindingFilter: Sendable, Hashable {
    /// `platform` equals this (any when `nil`).
    public var platform: String?
    /// `tax_period` equals this (any when `nil`).
    public var taxPeriod: String?
    /// `code` is one of these (any when empty).
    public var codes: [String] = []
    /// `severity` is one of these (any when empty).
    public var severities: [String] = []
    /// `status` is one of these (any when empty).
    public var statuses: [String] = []
    /// `platform_seller_id` equals this (any when `nil`).
    public var platformSellerID: String?

    /// Every finding.
    public init() {}
}

/// The order of a page of findings. Both end in `code, platform, record_id, id`, so a page is stable.
public enum FindingOrder: String, Sendable, Hashable, CaseIterable {
    /// `amount_at_risk DESC, code, platform, record_id, id`.
    case amountAtRisk
    /// `detected_at DESC, amount_at_risk DESC, code, platform, record_id, id`.
    case detectedAt
}

/// A column findings are totalled by.
public enum FindingColumn: String, Sendable, Hashable, CaseIterable {
    /// `code`.
    case code
    /// `platform`.
    case platform
    /// `tax_period`.
    case taxPeriod = "tax_period"
}

/// A page of finding rows.
public struct FindingRowPage: Sendable, Hashable {
    /// The rows of the page, in the requested order.
    public var rows: [FindingRow]
    /// How many match the filter before paging.
    public var total: Int

    /// A page of `rows` out of `total` matching.
    public init(rows: [FindingRow], total: Int) {
        self.rows = rows
        self.total = total
    }
}

/// The count and Σ `amount_at_risk` of the findings sharing one value of a column.
public struct FindingTotalRow: Sendable, Hashable {
    /// The value (`nil` for findings without one).
    public var key: String?
    /// How many findings have it.
    public var count: Int
    /// Σ their `amount_at_risk`, clamped to `Int64`.
    public var amountAtRisk: Int64

    /// The totals of the findings with `key`.
    public init(key: String?, count: Int, amountAtRisk: Int64) {
        self.key = key
        self.count = count
        self.amountAtRisk = amountAtRisk
    }
}
