import TaxLinkCore
import TaxLinkStore
import TestSupport

/// Records, a declaration, a batch and findings for the drill-down page tests, written through the
/// store's protocols; every string a feed sends is hostile markup.
enum DrillDownSamples {
    /// Strings a feed could send that would be markup if a page did not escape them.
    static let hostile = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"]
    /// A seller name made of both.
    static let sellerName = hostile.joined(separator: " ")
    /// The record with two revisions, a batch and findings.
    static let recordID = "shopee:sale:ORD-1"
    /// An order id with characters that must be percent-encoded in a path.
    static let awkwardOrder = "ORD 2/x?#"

    /// A refund resolver for feeds without return claims: never called.
    struct NoReturns: ReturnResolving {
        struct Unexpected: Error {}

        func refund(for claim: ReturnClaim, sale: TransactionRecord, lineItemIDs: [String: Int]) throws
            -> PreparedRecord
        { throw Unexpected() }
    }

    /// A completed January 2026 sale.
    static func sale(
        _ orderID: String,
        platform: String = "shopee",
        sellerID: String = "S1",
        taxCode: String? = "0100233488",
        nationalID: String? = nil,
        gross: Int64 = 1_234_567,
        flags: [DiscrepancyCode] = []
    ) -> PreparedRecord {
        StoreSamples.sale(
            orderID,
            platform: platform,
            sellerID: sellerID,
            taxCode: taxCode,
            nationalID: nationalID,
            sellerName: sellerName,
            line: (sku: hostile[1], name: hostile[0]),
            gross: gross,
            occurredAt: 1_768_000_000,
            flags: flags
        )
    }

    /// Stores everything the page tests read.
    static func store(in store: SQLiteStore) async throws {
        try await feed(
            [
                sale("ORD-1"), sale(awkwardOrder, gross: 500_000),
                sale("ORD-1", platform: "lazada", sellerID: "L9", taxCode: nil, nationalID: "001099012345"),
            ],
            at: 1_768_100_000,
            into: store
        )
        try await feed([sale("ORD-1", gross: 2_000_000, flags: [.lateReport])], at: 1_768_200_000, into: store)
        let declaration = Declaration(
            platform: "shopee",
            period: TaxPeriod(year: 2026, month: 1)!,
            rows: [
                Declaration.Row(
                    platformSellerID: "S1",
                    sellerName: sellerName,
                    taxID: "0100233488",
                    resident: true,
                    group: .goods,
                    revenue: 2_400_000,
                    vat: 25_000,
                    pit: 12_500
                ),
                Declaration.Row(
                    platformSellerID: "S-ghost",
                    sellerName: hostile[1],
                    taxID: nil,
                    resident: true,
                    group: .services,
                    revenue: 1_000,
                    vat: 50,
                    pit: 20
                ),
            ]
        )
        _ = try await store.storeFeed(
            NewFeed(source: "shopee/declarations", receivedAt: Timestamp(unixSeconds: 1_768_300_000)),
            resolving: NoReturns()
        ) { sink in
            try await sink.send(.declaration(declaration))
            return FeedEnd(received: 2, bodySHA256: String(repeating: "0", count: 64))
        }
        try await store.insertBatch(
            SealedBatch(
                id: "b-1",
                body: Array("{}".utf8),
                bodySHA256: String(repeating: "a", count: 64),
                jws: "jws",
                createdAt: Timestamp(unixSeconds: 1_768_150_000),
                members: [RecordRevision(recordID: recordID, revision: 1)]
            )
        )
        try await store.applyFindingWrites([
            finding("f-rec", recordID: recordID, amount: 9_000),
            finding("f-other", code: "WITHHOLDING_MISMATCH", recordID: recordID, amount: 100),
            finding("f-seller", code: "DECLARATION_MISMATCH", recordID: nil, amount: 5_000),
        ])
    }

    private static func feed(_ records: [PreparedRecord], at seconds: Int64, into store: SQLiteStore) async throws {
        let receivedAt = Timestamp(unixSeconds: seconds)
        _ = try await store.storeFeed(NewFeed(source: "shopee/orders", receivedAt: receivedAt), resolving: NoReturns())
        {
            sink in
            let items = records.map { prepared in
                var adapted = prepared.adapted
                adapted.record.source = RecordSource(feedID: sink.feedID, receivedAt: receivedAt)
                return IngestItem.record(PreparedRecord(adapted, flags: prepared.adapted.record.flags))
            }
            try await sink.send(.items(items))
            return FeedEnd(received: records.count, bodySHA256: String(repeating: "0", count: 64))
        }
    }

    private static func finding(_ id: String, code: String = "LATE_REPORT", recordID: String?, amount: Int64)
        -> FindingWrite
    {
        let detected = Timestamp(unixSeconds: 1_768_400_000)
        return StoreSamples.detected(
            FindingContentRow(
                id: id,
                code: code,
                scope: recordID == nil ? "seller-period" : "record",
                severity: "warning",
                platform: "shopee",
                taxPeriod: "2026-01",
                platformSellerID: "S1",
                category: "goods",
                taxID: "0100233488",
                recordID: recordID,
                externalID: recordID == nil ? nil : "ORD-1",
                revision: 1,
                expected: #"{"vat":1000}"#,
                actual: #"{"vat":0}"#,
                amountAtRisk: amount,
                detail: hostile.joined(),
                fingerprint: "fp-\(id)"
            ),
            at: detected
        )
    }
}
