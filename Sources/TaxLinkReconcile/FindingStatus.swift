/// Where a finding is in the analysts' workflow.
public enum FindingStatus: String, Sendable, Hashable, CaseIterable {
    /// Found, and no analyst has looked at it yet (or it was reopened).
    case open
    /// An analyst is on it.
    case acknowledged
    /// Settled by an analyst's note, or superseded when the reconciler no longer finds it.
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
    /// Quarantining codes, reconciliation errors, and 1,000,000 đồng or more at risk.
    case critical
    /// Tax at risk below the critical threshold.
    case warning
    /// Nothing at risk that can be named.
    case info
}

/// What a finding is about.
public enum FindingScope: String, Sendable, Hashable, CaseIterable {
    /// One record (`record_id`).
    case record
    /// One seller of a platform.
    case seller
    /// The settlements of one order.
    case settlement
    /// One seller's figures for one tax period and business group.
    case sellerPeriod = "seller-period"
}
