import TaxLinkCore
import TestSupport

@testable import TaxLinkStore

/// Records, a batch and a receipt for the look-up conformance tests, stored through the protocols only.
enum RecordLookupSamples {
    /// Every capability the look-up tests write and read through.
    typealias Store = any Storage & OutboxStorage & FindingsStorage & RecordLookupStorage

    /// A seller name that would break a page that did not escape it, and that spells a tax id.
    static let hostileName = #"<script>alert(1)</script>"><img src=x onerror=alert(2)> "tax_code":"0999999999""#
    /// When the first feed arrived.
    static let firstFeedAt = Timestamp(unixSeconds: 1_768_100_000)
    /// When the second feed arrived.
    static let secondFeedAt = Timestamp(unixSeconds: 1_768_200_000)

    /// A completed sale on `platform` of `gross` đồng by seller `sellerID`.
    static func sale(
        _ externalID: String,
        platform: String = "shopee",
        sellerID: String = "9",
        taxCode: String? = "0100233488",
        nationalID: String? = nil,
        name: String = hostileName,
        gross: Int64 = 100_000,
        occurredAt: Int64 = 1_768_000_000,
        flags: [DiscrepancyCode] = []
    ) -> PreparedRecord {
        StoreSamples.sale(
            externalID,
            platform: platform,
            sellerID: sellerID,
            taxCode: taxCode,
            nationalID: nationalID,
            sellerName: name,
            line: (sku: "<b>SKU</b>", name: "Áo"),
            gross: gross,
            occurredAt: occurredAt,
            flags: flags
        )
    }

    /// Two feeds: the first with shopee A (seller 9), shopee B (seller 10, a branch tax code) and lazada A
    /// (seller 77, a national id); the second with a changed shopee A (revision 2, flagged) and shopee C
    /// (seller 9, later). Returns the two feed ids.
    static func storeTwoFeeds(in store: Store) async throws -> (String, String) {
        let first = try await storeFeed(
            [
                sale("A"),
                sale("B", sellerID: "10", taxCode: "0312345673-001", name: "B"),
                sale("A", platform: "lazada", sellerID: "77", taxCode: nil, nationalID: "001099012345", name: "L"),
            ],
            at: firstFeedAt,
            in: store
        )
        let second = try await storeFeed(
            [
                sale("A", gross: 250_000, flags: [.lateReport, .withholdingMismatch]),
                sale("C", occurredAt: 1_768_050_000),
            ],
            at: secondFeedAt,
            in: store
        )
        return (first, second)
    }

    /// Seals shopee A and B (revision 1) into `b1` at 2 000; the ministry's verified receipt (2 009)
    /// delivers it at 2 010 and rejects A.
    static func deliverFirstRevisionOfA(in store: Store) async throws {
        let members = [
            RecordRevision(recordID: "shopee:sale:A", revision: 1),
            RecordRevision(recordID: "shopee:sale:B", revision: 1),
        ]
        try await store.insertBatch(OutboxSamples.batch("b1", members, at: 2_000))
        _ = try await store.claimDueBatches(owner: "w", now: Timestamp(unixSeconds: 2_001), leaseSeconds: 60, limit: 1)
        let body = Array(#"{"batch_id":"b1"}"#.utf8)
        let receiptID = try await store.storeReceipt(
            ReceivedReceipt(
                batchID: "b1",
                receivedAt: Timestamp(unixSeconds: 2_009),
                status: 201,
                body: body,
                jws: "sig",
                ministryTrust: nil
            )
        )
        try await store.recordReceiptVerdict(id: receiptID, problem: nil)
        let rejection = MinistryRejection(
            batchID: "b1",
            recordID: "shopee:sale:A",
            revision: 1,
            code: "R-TAXID",
            message: "mã số thuế không hợp lệ"
        )
        try await store.finishAttempt(
            batchID: "b1",
            owner: "w",
            attempt: BatchAttempt(at: Timestamp(unixSeconds: 2_010), status: 201, error: nil, nextWait: nil),
            transition: .delivered(
                receipt: body,
                receiptJWS: "sig",
                rejections: [rejection],
                at: Timestamp(unixSeconds: 2_010)
            )
        )
    }

    /// Stores `records` as one feed received at `receivedAt`; returns the feed's id.
    static func storeFeed(_ records: [PreparedRecord], at receivedAt: Timestamp, in store: Store) async throws
        -> String
    {
        let feed = NewFeed(source: "shopee/orders", receivedAt: receivedAt)
        return try await store.storeFeed(feed, resolving: OutboxSamples.NoReturns()) { sink in
            let sourced = records.map { prepared in
                var adapted = prepared.adapted
                adapted.record.source = RecordSource(feedID: sink.feedID, receivedAt: receivedAt)
                return PreparedRecord(adapted, flags: prepared.adapted.record.flags)
            }
            try await sink.send(.items(sourced.map { .record($0) }))
            return FeedEnd(received: records.count, bodySHA256: String(repeating: "0", count: 64))
        }.feedID
    }

    /// Runs `body` with a fresh store of `kind`, with every capability.
    static func withStore(_ kind: StoreKind, _ body: (Store) async throws -> Void) async throws {
        try await StoreFixture.withStore(kind) { store in
            switch store.backing {
            case .sqlite(let sqlite): try await body(sqlite)
            case .postgres(let postgres): try await body(postgres)
            }
        }
    }
}
