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
