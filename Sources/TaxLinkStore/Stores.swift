/// The stores the application is given, one per capability: the server, the reconciler and the
/// uploader each take the one they need, so nothing above the store asks a store what else it is.
/// One database usually provides all of them (``init(_:)``).
public struct Stores: Sendable {
    /// Feeds, records and their revisions, pending orders, return claims, settlements, declarations.
    public let feeds: any Storage
    /// Findings and their history, and the reconciliation snapshot they are computed from.
    public let findings: any FindingsStorage
    /// The outbox: sealed batches, their leases, attempts, receipts and dead letters.
    public let outbox: any OutboxStorage
    /// The analysts' workbench sessions.
    public let sessions: any SessionStorage
    /// Look-ups across records, batches and findings for the analysts' drill-down.
    public let lookup: any RecordLookupStorage

    /// The stores of each capability, given separately.
    public init(
        feeds: any Storage,
        findings: any FindingsStorage,
        outbox: any OutboxStorage,
        sessions: any SessionStorage,
        lookup: any RecordLookupStorage
    ) {
        self.feeds = feeds
        self.findings = findings
        self.outbox = outbox
        self.sessions = sessions
        self.lookup = lookup
    }

    /// Every capability of one database.
    public init(_ store: some Storage & FindingsStorage & OutboxStorage & SessionStorage & RecordLookupStorage) {
        self.init(feeds: store, findings: store, outbox: store, sessions: store, lookup: store)
    }
}
