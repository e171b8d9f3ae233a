import TaxLinkCore

/// One stored revision of a record, with the feed that carried it.
public struct LookupRecordRow: Sendable, Hashable {
    /// `record_id`: `platform:kind:external_id`.
    public var recordID: String
    /// `revision`.
    public var revision: Int
    /// `platform`.
    public var platform: String
    /// `kind`: `sale` or `refund`.
    public var kind: String
    /// `external_id`.
    public var externalID: String
    /// `seller_id`: the seller's id on the platform.
    public var sellerID: String
    /// `tax_period` (`YYYY-MM`).
    public var taxPeriod: String
    /// `occurred_at`.
    public var occurredAt: Timestamp
    /// `received_at`: when the feed that carried this revision arrived.
    public var receivedAt: Timestamp
    /// `feed_id`.
    public var feedID: String
    /// The source (`platform/kind`) of the feed, `nil` when the feed row is gone.
    public var feedSource: String?
    /// `status`: `ready` or `quarantined`.
    public var status: String
    /// `flags`: the codes ingest found on this revision, in stored order.
    public var flags: [String]
    /// `is_latest`.
    public var isLatest: Bool
    /// The canonical JSON of the revision, exactly as uploaded.
    public var body: String

    /// Every column, as named.
    public init(
        recordID: String,
        revision: Int,
        platform: String,
        kind: String,
        externalID: String,
        sellerID: String,
        taxPeriod: String,
        occurredAt: Timestamp,
        receivedAt: Timestamp,
        feedID: String,
        feedSource: String?,
        status: String,
        flags: [String],
        isLatest: Bool,
        body: String
    ) {
        self.recordID = recordID
        self.revision = revision
        self.platform = platform
        self.kind = kind
        self.externalID = externalID
        self.sellerID = sellerID
        self.taxPeriod = taxPeriod
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.feedID = feedID
        self.feedSource = feedSource
        self.status = status
        self.flags = flags
        self.isLatest = isLatest
        self.body = body
    }

    /// The stored `flags` column (comma-separated) as a list.
    static func flags(_ column: String) -> [String] {
        column.split(separator: ",").map(String.init)
    }

    /// The columns both stores read a row from, in order, from `records r` joined to `feeds f`
    /// (each store adds its `WHERE`).
    static let columns = """
        SELECT r.record_id, r.revision, r.platform, r.kind, r.external_id, r.seller_id, r.tax_period, r.occurred_at,
            r.received_at, r.feed_id, f.source, r.status, r.flags, r.is_latest, r.body
        FROM records r LEFT JOIN feeds f ON f.id = r.feed_id
        """

    /// How many records one read of `forEachSellerRecord(sellerID:platform:_:)` takes.
    static let sellerPage = 1_000
}

/// A page of records, with how many match in all.
public struct LookupRecordPage: Sendable, Hashable {
    /// The records of the page.
    public var rows: [LookupRecordRow]
    /// How many match before paging.
    public var total: Int

    /// A page of `rows` out of `total`.
    public init(rows: [LookupRecordRow], total: Int) {
        self.rows = rows
        self.total = total
    }
}

/// A batch that carries a revision of a record, and what the ministry said about it.
public struct RecordBatchRow: Sendable, Hashable {
    /// The revision the batch carries.
    public var revision: Int
    /// The batch id.
    public var batchID: String
    /// The batch's state (a ``BatchState`` raw value).
    public var state: String
    /// When the batch was sealed.
    public var createdAt: Timestamp
    /// When a verified receipt marked it delivered.
    public var deliveredAt: Timestamp?
    /// The verdict of the batch's latest receipt (`verified`, `refused`, `unchecked`), `nil` when none came.
    public var receiptVerdict: String?
    /// When that receipt was received.
    public var receiptAt: Timestamp?
    /// The ministry's rejection of this record in the batch's receipt, `code: message`, or `nil`.
    public var rejection: String?

    /// Every field, as named.
    public init(
        revision: Int,
        batchID: String,
        state: String,
        createdAt: Timestamp,
        deliveredAt: Timestamp?,
        receiptVerdict: String?,
        receiptAt: Timestamp?,
        rejection: String?
    ) {
        self.revision = revision
        self.batchID = batchID
        self.state = state
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.receiptVerdict = receiptVerdict
        self.receiptAt = receiptAt
        self.rejection = rejection
    }
}

/// A platform's declaration in force for one period, and the feed that carried it.
public struct StoredDeclaration: Sendable, Hashable {
    /// The declaration (rows summed per seller and group, as stored).
    public var declaration: Declaration
    /// Its version: 1, then one more per amended return.
    public var version: Int
    /// The feed that carried it.
    public var feedID: String
    /// When that feed arrived.
    public var receivedAt: Timestamp

    /// Every field, as named.
    public init(declaration: Declaration, version: Int, feedID: String, receivedAt: Timestamp) {
        self.declaration = declaration
        self.version = version
        self.feedID = feedID
        self.receivedAt = receivedAt
    }
}

extension StoredDeclaration {
    /// A declaration read back from its stored columns; `rows` is the stored JSON array of its rows.
    init(platform: String, period: TaxPeriod, version: Int, feedID: String, receivedAt: Int64, rows: String) throws {
        let rows = try (JSONParser.parse(Array(rows.utf8)).arrayValue ?? [])
            .map(SQLiteReconciliationSnapshot.declarationRow)
        self.init(
            declaration: Declaration(platform: platform, period: period, rows: rows),
            version: version,
            feedID: feedID,
            receivedAt: Timestamp(unixSeconds: receivedAt)
        )
    }
}
