/// A completed sale or refund, normalised, with what the adapter learnt beside the record.
public struct AdaptedRecord: Sendable, Hashable {
    /// The record, revision 1 and no flags yet: the store numbers revisions, ingest sets flags.
    public var record: TransactionRecord
    /// The absolute difference when a source total disagrees with its parts, else `nil`.
    public var sourceDifference: Int64?
    /// Whether the buyer paid cash on delivery (no gateway settlement is expected).
    public var cashOnDelivery: Bool
    /// The platform's item ids of the record's lines (Shopee), so returns can find their line.
    public var lineItemIDs: [String: Int]

    public init(
        record: TransactionRecord, sourceDifference: Int64? = nil, cashOnDelivery: Bool,
        lineItemIDs: [String: Int] = [:]
    ) {
        self.record = record
        self.sourceDifference = sourceDifference
        self.cashOnDelivery = cashOnDelivery
        self.lineItemIDs = lineItemIDs
    }
}

/// An order that is not completed yet: kept as pending state, no record.
public struct PendingOrder: Sendable, Hashable {
    public var platform: String
    /// `sale` for an order, `refund` for a return.
    public var kind: RecordKind
    public var externalID: String
    public var status: String

    public init(platform: String, kind: RecordKind = .sale, externalID: String, status: String) {
        self.platform = platform
        self.kind = kind
        self.externalID = externalID
        self.status = status
    }
}

/// A completed Shopee return, which becomes a refund record once its sale is known.
public struct ReturnClaim: Sendable, Hashable {
    /// One returned item.
    public struct Item: Sendable, Hashable {
        public var itemID: String
        public var sku: String
        public var quantity: Int64
        public var refundAmount: Int64

        public init(itemID: String, sku: String, quantity: Int64, refundAmount: Int64) {
            self.itemID = itemID
            self.sku = sku
            self.quantity = quantity
            self.refundAmount = refundAmount
        }
    }

    public var platform: String
    public var returnID: String
    public var orderID: String
    public var completedAt: Timestamp
    public var items: [Item]
    public var reversal: Withholding
    public var source: RecordSource

    public init(
        platform: String, returnID: String, orderID: String, completedAt: Timestamp, items: [Item],
        reversal: Withholding, source: RecordSource
    ) {
        self.platform = platform
        self.returnID = returnID
        self.orderID = orderID
        self.completedAt = completedAt
        self.items = items
        self.reversal = reversal
        self.source = source
    }

    /// The record id the refund will have.
    public var recordID: String { "\(platform):\(RecordKind.refund.rawValue):\(returnID)" }
    /// Σ refund amounts.
    public var total: Int64 { items.reduce(0) { $0 + $1.refundAmount } }

    /// The refund record, given the latest revision of its sale and the sale's item ids.
    public func refund(sale: TransactionRecord, lineItemIDs: [String: Int]) -> AdaptedRecord {
        let lines = items.map { item -> Line in
            let saleLine = lineItemIDs[item.itemID].flatMap { sale.lines.indices.contains($0) ? sale.lines[$0] : nil }
            return Line(
                sku: item.sku, name: saleLine?.name ?? "", category: saleLine?.category ?? .unknown,
                quantity: item.quantity, amount: item.refundAmount)
        }
        let total = total
        let record = TransactionRecord(
            platform: platform, kind: .refund, externalID: returnID, originalExternalID: orderID,
            occurredAt: completedAt, seller: sale.seller, lines: lines,
            amounts: Amounts(
                gross: total, sellerDiscount: 0, platformDiscount: 0, shippingFee: 0, buyerPaid: total, platformFees: 0),
            withholding: reversal, source: source)
        return AdaptedRecord(record: record, cashOnDelivery: false)
    }
}

extension ReturnClaim {
    /// The claim as stored while it waits for its sale.
    public var json: JSONValue {
        .object([
            "platform": .string(platform),
            "return_id": .string(returnID),
            "order_id": .string(orderID),
            "completed_at": .string(completedAt.iso8601),
            "items": .array(
                items.map {
                    .object([
                        "item_id": .string($0.itemID), "sku": .string($0.sku), "quantity": .int($0.quantity),
                        "refund_amount": .int($0.refundAmount),
                    ])
                }),
            "reversal": reversal.json,
            "source": .object([
                "feed_id": .string(source.feedID), "received_at": .string(source.receivedAt.iso8601),
            ]),
        ])
    }

    /// Reads a claim written by ``json``.
    public init(json: JSONValue) throws(RecordDecodingError) {
        let reader = FieldReader(json, path: "return_claim")
        let reversal = try reader.object("reversal")
        let source = try reader.object("source")
        var items: [Item] = []
        for value in try reader.array("items") {
            let item = FieldReader(value, path: "return_claim.items")
            items.append(
                Item(
                    itemID: try item.string("item_id"), sku: try item.string("sku"),
                    quantity: try item.integer("quantity"), refundAmount: try item.integer("refund_amount")))
        }
        self.init(
            platform: try reader.string("platform"), returnID: try reader.string("return_id"),
            orderID: try reader.string("order_id"), completedAt: try reader.timestamp("completed_at"), items: items,
            reversal: Withholding(vat: try reversal.integer("vat"), pit: try reversal.integer("pit")),
            source: RecordSource(feedID: try source.string("feed_id"), receivedAt: try source.timestamp("received_at")))
    }
}
