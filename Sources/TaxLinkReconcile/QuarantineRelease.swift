import TaxLinkCore

/// Which quarantined records reconciliation releases.
enum QuarantineRelease {
    /// Whether the latest revision of a record, in `status` with ingest `flags` (comma separated), is to be
    /// released: it is quarantined, but none of its flags quarantines (any more).
    static func releases(status: String, flags: String) -> Bool {
        status == "quarantined" && !RecordRowDecoder.flags(flags).contains(where: \.quarantines)
    }
}
