/// The stores the application is given, one per capability: the server, the reconciler and the
/// uploader each take the one they need, so nothing above the store asks a store what else it is.
/// One database usually provides all three (``init(_:)``).
public struct Stores: Sendable {
    /// Feeds, records and their revisions, pending orders, return claims, settlements, declarations.
    public let feeds: any Storage
    /// Findings and their history, and the reconciliation snapshot they are computed from.
    public let findings: any FindingsStorage
    /// The outbox: sealed batches, their leases, attempts, receipts and dead letters.
    public let outbox: any OutboxStorage

    /// The stores of three capabilities, given separately.
    public init(feeds: any Storage, findings: any FindingsStorage, outbox: any OutboxStorage) {
        self.feeds = feeds
        self.findings = findings
        self.outbox = outbox
    }

    /// All three capabilities of one database.
    public init(_ store: some Storage & FindingsStorage & OutboxStorage) {
        self.init(feeds: store, findings: store, outbox: store)
    }
}
