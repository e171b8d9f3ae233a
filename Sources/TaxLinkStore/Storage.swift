import TaxLinkCore

/// The durable store behind every part of the connector. Everything above the store talks to this
/// protocol only, so the embedded SQLite store and a server database are the same product.
public protocol Storage: Sendable {
    /// Registers a feed as it starts to arrive and returns its id.
    func beginFeed(_ feed: NewFeed) async throws -> String

    /// Stores one chunk of a feed's items in one transaction: new records and revisions, pending
    /// orders, return claims. Identical re-deliveries are counted, not stored again.
    func storeItems(_ items: [IngestItem], feedID: String) async throws -> IngestCounts

    /// Stores gateway settlements; a transaction number seen before is a duplicate.
    func storeSettlements(_ settlements: [Settlement], feedID: String) async throws -> IngestCounts

    /// Stores a declaration; it replaces an earlier one for the same platform and period.
    func storeDeclaration(_ declaration: Declaration, feedID: String, receivedAt: Timestamp) async throws
        -> IngestCounts

    /// Marks a feed complete with its summary and the SHA-256 of its body. A feed is acknowledged
    /// only after this returns.
    func finishFeed(_ feedID: String, summary: FeedSummary, bodySHA256: String) async throws

    /// A stored feed's summary, `nil` while it is still arriving or when unknown.
    func feedSummary(_ feedID: String) async throws -> FeedSummary?

    /// Calls `body` with each stored record matching `query`, in record id and revision order.
    func forEachRecord(_ query: RecordQuery, _ body: (StoredRecord) throws -> Void) async throws

    /// Counts of what is stored, for health and metrics.
    func statistics() async throws -> StoreStatistics
}

/// A feed as it starts to arrive.
public struct NewFeed: Sendable, Hashable {
    /// `platform/kind` of the push path.
    public var source: String
    public var receivedAt: Timestamp

    public init(source: String, receivedAt: Timestamp) {
        self.source = source
        self.receivedAt = receivedAt
    }
}

/// One accepted item of an orders or returns feed.
public enum IngestItem: Sendable, Hashable {
    case record(PreparedRecord)
    case pending(PendingOrder)
    case returnClaim(ReturnClaim)
}

/// What a chunk of a feed did to the store.
public struct IngestCounts: Sendable, Hashable {
    /// Items stored: new records, new revisions, pending states, claims, settlements, declaration rows.
    public var accepted = 0
    /// Identical re-deliveries, not stored again.
    public var duplicates = 0
    /// Accepted items that were a new revision of a record already stored.
    public var revised = 0

    public init(accepted: Int = 0, duplicates: Int = 0, revised: Int = 0) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.revised = revised
    }

    public static func + (lhs: IngestCounts, rhs: IngestCounts) -> IngestCounts {
        IngestCounts(
            accepted: lhs.accepted + rhs.accepted, duplicates: lhs.duplicates + rhs.duplicates,
            revised: lhs.revised + rhs.revised)
    }
}

/// The answer to a push: what was received, kept, repeated, revised and refused.
public struct FeedSummary: Sendable, Hashable {
    /// One refused item.
    public struct Rejected: Sendable, Hashable {
        /// Index in the envelope's array, or `nil` for line-numbered bodies.
        public var index: Int?
        /// Line number in an NDJSON or CSV body.
        public var line: Int?
        public var externalID: String?
        public var reason: String

        public init(index: Int?, line: Int?, externalID: String?, reason: String) {
            self.index = index
            self.line = line
            self.externalID = externalID
            self.reason = reason
        }
    }

    public var feedID: String
    public var received: Int
    public var accepted: Int
    public var duplicates: Int
    public var revised: Int
    /// Rows that were not payments (settlements with a status other than `00`).
    public var ignored: Int
    public var rejected: [Rejected]

    public init(
        feedID: String, received: Int, accepted: Int, duplicates: Int, revised: Int, ignored: Int = 0,
        rejected: [Rejected]
    ) {
        self.feedID = feedID
        self.received = received
        self.accepted = accepted
        self.duplicates = duplicates
        self.revised = revised
        self.ignored = ignored
        self.rejected = rejected
    }
}

/// Which records to read.
public struct RecordQuery: Sendable, Hashable {
    public var platform: String?
    public var period: TaxPeriod?
    /// Every revision rather than the latest of each record.
    public var allRevisions: Bool

    public init(platform: String? = nil, period: TaxPeriod? = nil, allRevisions: Bool = false) {
        self.platform = platform
        self.period = period
        self.allRevisions = allRevisions
    }
}

/// A stored revision of a record.
public struct StoredRecord: Sendable, Hashable {
    public var recordID: String
    public var revision: Int
    /// The canonical JSON of the record, exactly as uploaded.
    public var body: String
    public var quarantined: Bool

    public init(recordID: String, revision: Int, body: String, quarantined: Bool) {
        self.recordID = recordID
        self.revision = revision
        self.body = body
        self.quarantined = quarantined
    }

    /// The record, decoded.
    public func decode() throws -> TransactionRecord {
        try TransactionRecord(json: JSONParser.parse(Array(body.utf8)))
    }
}

/// Counts of what is stored.
public struct StoreStatistics: Sendable, Hashable {
    public var feeds: Int
    public var records: Int
    public var quarantined: Int
    public var pendingOrders: Int
    public var settlements: Int

    public init(feeds: Int, records: Int, quarantined: Int, pendingOrders: Int, settlements: Int) {
        self.feeds = feeds
        self.records = records
        self.quarantined = quarantined
        self.pendingOrders = pendingOrders
        self.settlements = settlements
    }
}
