import TaxLinkCore

/// A consistent read of the inputs of reconciliation, valid only inside
/// ``FindingsStorage/withReconciliationSnapshot(_:)``.
public protocol ReconciliationSnapshot {
    /// Calls `body` with the latest revision of every record (of one platform and period when given) and
    /// the record's canonical JSON, which is lent for the call only.
    func forEachLatestRecord(
        platform: String?,
        period: TaxPeriod?,
        _ body: (LatestRecordRow, Span<UInt8>) throws -> Void
    ) throws

    /// Calls `body` with the latest revision of each of `recordIDs` that exists, and its canonical JSON.
    func latestRecords(recordIDs: [String], _ body: (LatestRecordRow, Span<UInt8>) throws -> Void) throws

    /// Calls `body` with the latest revision of every record and its narrow columns (``RecordFacts``;
    /// `nil` when one is missing or malformed), without reading its body: what reconciliation reads.
    func forEachLatestFacts(_ body: (LatestRecordRow, RecordFacts?) throws -> Void) throws

    /// Calls `body` with the latest revision of each of `recordIDs` that exists, and its narrow columns.
    func latestFacts(recordIDs: [String], _ body: (LatestRecordRow, RecordFacts?) throws -> Void) throws

    /// A stamp of every input of a reconciliation as of this snapshot, which changes whenever one of
    /// them can have changed through the connector: a feed completes (records, settlements,
    /// declarations, returns, orders seen), a return meets its sale after its feed committed, a
    /// receipt rejects a record. Two equal stamps mean the same inputs. (Rows changed by hand in the
    /// database are not seen.)
    func inputStamp() throws -> String

    /// The mark the last reconciliation left (``FindingsStorage/setReconciliationMark(_:)``), or `nil`.
    func reconciliationMark() throws -> ReconciliationMark?

    /// Whether the latest revision of a sale that is not cash on delivery and that no settlement names
    /// completed at or after `from` and before `to` (Unix seconds).
    func hasUnsettledSales(completedFrom from: Int64, before to: Int64) throws -> Bool

    /// Completed returns still waiting for their sale.
    func pendingReturnClaims() throws -> [ReturnClaim]

    /// Calls `body` once per platform and order that settlements name, with Σ their amounts.
    func forEachSettledOrder(_ body: (SettledOrderRow) throws -> Void) throws

    /// Those of `orderIDs` of `platform` that were ever pushed as a sale, in any status.
    func pushedSaleOrders(platform: String, orderIDs: [String]) throws -> Set<String>

    /// The settlements of each of `orderIDs` of `platform` that has any, summed, sorted by order id.
    func settlementSummaries(platform: String, orderIDs: [String]) throws -> [SettlementSummaryRow]

    /// The declaration in force (the highest version) of every platform and period.
    func declarationsInForce() throws -> [Declaration]

    /// Every record rejection from verified ministry receipts.
    func recordRejections() throws -> [MinistryRejection]
}

/// The columns of the latest revision of a record (its canonical JSON is handed beside it).
public struct LatestRecordRow: Sendable, Hashable {
    /// The latest revision.
    public var revision: Int
    /// The platform.
    public var platform: String
    /// Sale or refund.
    public var kind: RecordKind
    /// The platform's id of the record.
    public var externalID: String
    /// For a refund, the external id of the sale it refunds.
    public var originalExternalID: String?
    /// The seller's id on the platform.
    public var sellerID: String
    /// When the sale or refund happened.
    public var occurredAt: Timestamp
    /// When the connector stored this revision.
    public var receivedAt: Timestamp
    /// `ready`, `quarantined`, or an outbox state.
    public var status: String
    /// The ingest flags, comma separated (empty for none).
    public var flags: String
    /// The difference a source total showed at ingest, else `nil`.
    public var sourceDifference: Int64?
    /// Whether the buyer pays on delivery (no gateway settlement is due).
    public var cashOnDelivery: Bool

    /// Every field, as named.
    public init(
        revision: Int,
        platform: String,
        kind: RecordKind,
        externalID: String,
        originalExternalID: String?,
        sellerID: String,
        occurredAt: Timestamp,
        receivedAt: Timestamp,
        status: String,
        flags: String,
        sourceDifference: Int64?,
        cashOnDelivery: Bool
    ) {
        self.revision = revision
        self.platform = platform
        self.kind = kind
        self.externalID = externalID
        self.originalExternalID = originalExternalID
        self.sellerID = sellerID
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.status = status
        self.flags = flags
        self.sourceDifference = sourceDifference
        self.cashOnDelivery = cashOnDelivery
    }

    /// `<platform>:<kind>:<external_id>`.
    public var recordID: String { "\(platform):\(kind.rawValue):\(externalID)" }
}

/// Σ the settlements that name one order.
public struct SettledOrderRow: Sendable, Hashable {
    /// The platform.
    public var platform: String
    /// The platform's order id the settlements name.
    public var orderID: String
    /// Σ amounts, clamped to `Int64`.
    public var amount: Int64

    /// Every field, as named.
    public init(platform: String, orderID: String, amount: Int64) {
        self.platform = platform
        self.orderID = orderID
        self.amount = amount
    }
}

/// The settlements of one order, summed.
public struct SettlementSummaryRow: Sendable, Hashable {
    /// The platform.
    public var platform: String
    /// The platform's order id the settlements name.
    public var orderID: String
    /// Σ amounts, clamped to `Int64`.
    public var amount: Int64
    /// How many settlements.
    public var count: Int
    /// When the first of them was paid.
    public var firstPaidAt: Timestamp

    /// Every field, as named.
    public init(platform: String, orderID: String, amount: Int64, count: Int, firstPaidAt: Timestamp) {
        self.platform = platform
        self.orderID = orderID
        self.amount = amount
        self.count = count
        self.firstPaidAt = firstPaidAt
    }
}
