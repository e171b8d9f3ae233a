import TaxLinkCore

/// The durable store behind every part of the connector. Everything above the store talks to this
/// protocol only, so the embedded SQLite store and a server database are the same product.
public protocol Storage: Sendable {
    /// Stores a whole feed in one transaction, and answers its summary.
    ///
    /// The store registers the feed first (status `receiving`, committed on its own, so its id is
    /// known to `produce` through the sink), then calls `produce`, which sends the feed's parts in
    /// order and returns what only the end of the feed tells. Every part — records and revisions,
    /// pending orders, return claims, settlements, the declaration, rejections — and the feed's
    /// summary are written in one transaction that commits only after `produce` returned: when
    /// `produce` or a write throws, nothing of the feed is kept, the feed is marked `failed` and the
    /// error is rethrown. Identical re-deliveries are counted, not stored again. The summary names
    /// at most the first ``FeedSummary/answeredRejections`` rejections; all of them are kept.
    ///
    /// Records arrive prepared (``PreparedRecord``: flags assessed by ingest) and are stored as
    /// they are. When a return claim meets its sale, in either order within or across feeds, the
    /// store asks `resolving` for the refund record and stores it in the same transaction.
    func storeFeed(
        _ feed: NewFeed,
        resolving: any ReturnResolving,
        _ produce: (FeedSink) async throws -> FeedEnd
    ) async throws -> FeedSummary

    /// A stored feed, in any status; `nil` when unknown.
    func feed(_ feedID: String) async throws -> StoredFeed?

    /// Stored feeds in the order they arrived, from `offset`, at most `limit`.
    func feeds(limit: Int, offset: Int) async throws -> [StoredFeed]

    /// A feed's rejected items in feed order, from `offset`, at most `limit`.
    func feedRejections(_ feedID: String, limit: Int, offset: Int) async throws -> [FeedSummary.Rejected]

    /// Calls `body` with each stored record matching `query`, in record id and revision order, read
    /// in one ordered pass (one statement over one snapshot, nothing sorted), so its time is linear
    /// in the records read. The store's connection is held while `body` runs.
    func forEachRecord(_ query: RecordQuery, _ body: (StoredRecord) throws -> Void) async throws

    /// As ``forEachRecord(_:_:)``, but lends `body` only each record's canonical bytes, exactly as
    /// stored, for the duration of the call (copy them to keep them): for exports that write bodies
    /// as they are, without making a string of each.
    func forEachRecordBody(_ query: RecordQuery, _ body: (Span<UInt8>) throws -> Void) async throws

    /// Counts of what is stored, for health and metrics.
    func statistics() async throws -> StoreStatistics

    /// Returns when the database answers one trivial query (`SELECT 1`), for `/readyz`; throws
    /// when it does not. Cheap: it reads no table.
    func ping() async throws
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

/// What a feed did to the store.
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
            accepted: lhs.accepted + rhs.accepted,
            duplicates: lhs.duplicates + rhs.duplicates,
            revised: lhs.revised + rhs.revised
        )
    }
}

/// The answer to a push: what was received, kept, repeated, revised and refused.
public struct FeedSummary: Sendable, Hashable {
    /// How many rejections an answer names; the rest are read from the store, paged.
    public static let answeredRejections = 1_000

    /// One refused item.
    public struct Rejected: Sendable, Hashable {
        /// Index in the envelope's array, or `nil` for line-numbered bodies.
        public var index: Int?
        /// Line number in an NDJSON or CSV body.
        public var line: Int?
        public var externalID: String?
        /// The discrepancy code that applies (`AMOUNT_INVALID`), if any.
        public var code: String?
        /// What is wrong, naming the field.
        public var reason: String

        public init(index: Int?, line: Int?, externalID: String?, code: String? = nil, reason: String) {
            self.index = index
            self.line = line
            self.externalID = externalID
            self.code = code
            self.reason = reason
        }

        /// The reason as answered: prefixed with the code (`AMOUNT_INVALID: …`) when there is one.
        public var text: String { code.map { "\($0): \(reason)" } ?? reason }
    }

    public var feedID: String
    public var received: Int
    public var accepted: Int
    public var duplicates: Int
    public var revised: Int
    /// Rows that were not payments (settlements with a status other than `00`).
    public var ignored: Int
    /// The first rejections of the feed (at most ``answeredRejections``).
    public var rejected: [Rejected]
    /// Every rejection of the feed, counted.
    public var rejectedTotal: Int

    /// Whether ``rejected`` leaves some rejections out.
    public var rejectedTruncated: Bool { rejectedTotal > rejected.count }

    public init(
        feedID: String,
        received: Int,
        accepted: Int,
        duplicates: Int,
        revised: Int,
        ignored: Int = 0,
        rejected: [Rejected],
        rejectedTotal: Int? = nil
    ) {
        self.feedID = feedID
        self.received = received
        self.accepted = accepted
        self.duplicates = duplicates
        self.revised = revised
        self.ignored = ignored
        self.rejected = rejected
        self.rejectedTotal = rejectedTotal ?? rejected.count
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
