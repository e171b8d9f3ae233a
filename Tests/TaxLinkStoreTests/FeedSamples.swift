import TaxLinkCore

@testable import TaxLinkStore

/// Feeds for the feed-path conformance tests, stored through ``Storage`` only. Items carry the id
/// the store gives their feed, as ingest's do.
enum FeedSamples {
    /// Ingest's refund rule in its simplest form (no flags): the claim made into a refund of its sale.
    struct Refunds: ReturnResolving {
        func refund(for claim: ReturnClaim, sale: TransactionRecord, lineItemIDs: [String: Int]) -> PreparedRecord {
            PreparedRecord(claim.refund(sale: sale, lineItemIDs: lineItemIDs), flags: [])
        }
    }

    /// When every sample feed is received.
    static let receivedAt = Timestamp(unixSeconds: 1_768_100_000)

    static func source(_ feedID: String) -> RecordSource { RecordSource(feedID: feedID, receivedAt: receivedAt) }

    /// A completed Shopee sale of `amount` đồng whose first line is the platform's item `"i1"`.
    static func sale(_ orderID: String, amount: Int64 = 100_000, feedID: String) -> IngestItem {
        let record = TransactionRecord(
            platform: "shopee",
            kind: .sale,
            externalID: orderID,
            occurredAt: Timestamp(unixSeconds: 1_768_000_000),
            seller: Seller(
                platformSellerID: "9",
                taxCode: "0100233488",
                nationalID: nil,
                name: "Cửa hàng A",
                type: .household,
                resident: true
            ),
            lines: [Line(sku: "S", name: "Áo \"đỏ\"", category: .goods, quantity: 1, amount: amount)],
            amounts: Amounts(
                gross: amount,
                sellerDiscount: 0,
                platformDiscount: 0,
                shippingFee: 0,
                buyerPaid: amount,
                platformFees: 0
            ),
            withholding: Withholding(vat: amount / 100, pit: amount / 200),
            source: source(feedID)
        )
        return .record(
            PreparedRecord(AdaptedRecord(record: record, cashOnDelivery: false, lineItemIDs: ["i1": 0]), flags: [])
        )
    }

    /// A completed return of item `"i1"` of order `orderID`.
    static func claim(_ returnID: String, order orderID: String, amount: Int64 = 40_000, feedID: String) -> IngestItem {
        .returnClaim(
            ReturnClaim(
                platform: "shopee",
                returnID: returnID,
                orderID: orderID,
                completedAt: Timestamp(unixSeconds: 1_768_050_000),
                items: [ReturnClaim.Item(itemID: "i1", sku: "S", quantity: 1, refundAmount: amount)],
                reversal: Withholding(vat: amount / 100, pit: amount / 200),
                source: source(feedID)
            )
        )
    }

    static func pending(_ orderID: String, _ status: String) -> IngestItem {
        .pending(PendingOrder(platform: "shopee", externalID: orderID, status: status))
    }

    static func settlement(_ transactionNo: String, order orderID: String, amount: Int64 = 100_000) -> Settlement {
        Settlement(
            gateway: "vnpay",
            transactionNo: transactionNo,
            reference: "ref-\(transactionNo)",
            platform: "shopee",
            orderID: orderID,
            amount: amount,
            paidAt: Timestamp(unixSeconds: 1_768_000_100),
            bankCode: "NCB"
        )
    }

    /// A declaration of two sellers for January 2026, the first with `revenue`.
    static func declaration(revenue: Int64) -> Declaration {
        Declaration(
            platform: "shopee",
            period: TaxPeriod(year: 2026, month: 1)!,
            rows: [
                Declaration.Row(
                    platformSellerID: "9",
                    sellerName: "A",
                    taxID: "0100233488",
                    resident: true,
                    group: .goods,
                    revenue: revenue,
                    vat: revenue / 100,
                    pit: revenue / 200
                ),
                Declaration.Row(
                    platformSellerID: "10",
                    sellerName: "B",
                    taxID: nil,
                    resident: true,
                    group: .services,
                    revenue: 1_000,
                    vat: 50,
                    pit: 20
                ),
            ]
        )
    }

    /// Stores one feed whose parts `parts` makes from the feed's id; `received` defaults to the
    /// number of items, settlements and rejections sent.
    @discardableResult
    static func store(
        _ storage: any Storage,
        source: String = "shopee/orders",
        _ parts: (String) -> [FeedPart]
    ) async throws -> FeedSummary {
        try await storage.storeFeed(NewFeed(source: source, receivedAt: receivedAt), resolving: Refunds()) { sink in
            let parts = parts(sink.feedID)
            for part in parts { try await sink.send(part) }
            return FeedEnd(received: parts.map(\.itemCount).reduce(0, +), bodySHA256: String(repeating: "b", count: 64))
        }
    }

    /// Every stored record matching `query`, in the order the store gives them.
    static func records(_ storage: any Storage, _ query: RecordQuery = RecordQuery()) async throws -> [StoredRecord] {
        var records: [StoredRecord] = []
        try await storage.forEachRecord(query) { records.append($0) }
        return records
    }

    /// `(record_id, revision)` of each stored record matching `query`.
    static func revisions(_ storage: any Storage, _ query: RecordQuery = RecordQuery()) async throws -> [String] {
        try await records(storage, query).map { "\($0.recordID)#\($0.revision)" }
    }
}

extension FeedPart {
    /// How many items of the feed the part carries.
    var itemCount: Int {
        switch self {
        case .items(let items): items.count
        case .settlements(let settlements): settlements.count
        case .declaration(let declaration): declaration.rows.count
        case .rejections(let rejected): rejected.count
        }
    }
}

extension StoreFixture {
    /// Runs `body` with a fresh store of `kind`, as the feed path sees it.
    static func withStorage(_ kind: StoreKind, _ body: (any Storage) async throws -> Void) async throws {
        try await withStore(kind) { try await body($0.storage) }
    }
}
