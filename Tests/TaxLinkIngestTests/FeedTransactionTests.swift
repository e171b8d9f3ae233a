import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore
import Testing

/// A feed is stored whole or not at all, and its rejections are counted and kept, never all held.
@Suite("Feed transactions and rejections")
struct FeedTransactionTests {
    static func lines(_ count: Int, prefix: String = "T") -> [String] {
        (0..<count).map { RevisionTests.shopee("\(prefix)\($0)") }
    }

    @Test func anNDJSONStreamCutOffAfterThousandsOfItemsLeavesNothing() async throws {
        try await withTemporaryStore { store, _ async throws in
            let ingestor = Ingestor(storage: store)
            let body = Array(Self.lines(5_000).joined(separator: "\n").utf8)
            let chunks = stride(from: 0, to: body.count, by: 100_000).map {
                Array(body[$0..<min($0 + 100_000, body.count)])
            }
            await #expect(throws: FailingChunks.CutOff.self) {
                try await ingestor.ingestStream(
                    source: FeedSource(path: "shopee/orders", format: .ndjson),
                    chunks: FailingChunks(chunks: chunks),
                    receivedAt: sampleReceivedAt
                )
            }
            #expect(try await store.showsNothing())
            #expect(try await store.feed("f-000001")?.status == .failed)
            let again = try await ingestor.ingest(
                source: FeedSource(path: "shopee/orders", format: .ndjson),
                format: .ndjson,
                body: body,
                receivedAt: sampleReceivedAt
            )
            #expect(again.accepted == 5_000 && again.duplicates == 0)
            #expect(try await store.statistics().records == 5_000)
            #expect(try await store.feed(again.feedID)?.status == .complete)
        }
    }

    @Test func anEnvelopeBrokenAfterThousandsOfItemsLeavesNothing() async throws {
        try await withTemporaryStore { store, _ async throws in
            let ingestor = Ingestor(storage: store)
            let items = Self.lines(2_500).joined(separator: ",")
            await #expect(throws: FeedError.self) {
                try await ingestor.ingest("shopee/orders", #"{"orders": [\#(items), {"order": ]]}"#)
            }
            #expect(try await store.showsNothing())
            #expect(try await store.feed("f-000001")?.status == .failed)
            let again = try await ingestor.ingest("shopee/orders", #"{"orders": [\#(items)]}"#)
            #expect(again.accepted == 2_500 && again.duplicates == 0)
        }
    }

    @Test func settlementsDeclarationsAndClaimsOfAFailedFeedAreNotKept() async throws {
        try await withTemporaryStore { store, _ async throws in
            struct Refused: Error {}
            let settlement = Settlement(
                gateway: "vnpay",
                transactionNo: "1",
                reference: "R",
                platform: "shopee",
                orderID: "S1",
                amount: 100,
                paidAt: sampleReceivedAt,
                bankCode: "NCB"
            )
            let declaration = Declaration(
                platform: "tiki",
                period: try #require(TaxPeriod("2026-01")),
                rows: [
                    Declaration.Row(
                        platformSellerID: "1",
                        sellerName: "A",
                        taxID: nil,
                        resident: true,
                        group: .goods,
                        revenue: 100,
                        vat: 1,
                        pit: 0
                    )
                ]
            )
            await #expect(throws: Refused.self) {
                let feed = NewFeed(source: "test/mixed", receivedAt: sampleReceivedAt)
                try await store.storeFeed(feed, resolving: RefundResolution()) { sink in
                    try await sink.send(.settlements([settlement]))
                    try await sink.send(.declaration(declaration))
                    throw Refused()
                }
            }
            #expect(try await store.showsNothing())
            let returns =
                #"{"returns": [{"return": {"return_sn": "RT1", "order_sn": "S1", "status": "COMPLETED", "update_time": 1768449180, "item": [{"item_id": 7, "item_sku": "S", "amount": 1, "refund_amount": 40000}]}, "withholding_reversal": {"vat": 400, "pit": 200}}]}"#
            let ingestor = Ingestor(storage: store)
            await #expect(throws: FeedError.self) { try await ingestor.ingest("shopee/returns", returns + "x") }
            #expect(try await store.showsNothing())
            #expect(try await ingestor.ingest("shopee/returns", returns).accepted == 1)
        }
    }

    @Test func rejectionsAreCountedKeptAndPaged() async throws {
        try await withTemporaryStore { store, _ async throws in
            let bad = Array(repeating: "1", count: 2_500).joined(separator: ",")
            let good = Self.lines(3).joined(separator: ",")
            let summary = try await Ingestor(storage: store).ingest("shopee/orders", #"{"orders": [\#(good),\#(bad)]}"#)
            #expect(summary.received == 2_503 && summary.accepted == 3)
            #expect(summary.rejected.count == FeedSummary.answeredRejections)
            #expect(summary.rejectedTotal == 2_500 && summary.rejectedTruncated)
            #expect(summary.rejected.first?.index == 3)
            var all: [FeedSummary.Rejected] = []
            while true {
                let page = try await store.feedRejections(summary.feedID, limit: 700, offset: all.count)
                all += page
                if page.count < 700 { break }
            }
            #expect(all.compactMap(\.index) == Array(3..<2_503))
            #expect(all.allSatisfy { $0.reason == "expected an object, found number" })
            let stored = try #require(try await store.feed(summary.feedID))
            #expect(stored.status == .complete && stored.summary == summary)
            #expect(try await store.feeds(limit: 10, offset: 0).map(\.id) == [summary.feedID])
        }
    }

    @Test func rejectionCodesAreKeptApartFromTheirReason() async throws {
        try await withTemporaryStore { store, _ async throws in
            let text = RevisionTests.envelope(RevisionTests.shopee("A1").replacingOccurrences(of: "1000,", with: "-5,"))
            let summary = try await Ingestor(storage: store).ingest("shopee/orders", text)
            let rejected = try #require(summary.rejected.first)
            #expect(rejected.code == "AMOUNT_INVALID")
            #expect(rejected.text.hasPrefix("AMOUNT_INVALID: ") && !rejected.reason.hasPrefix("AMOUNT_INVALID"))
            #expect(try await store.feedRejections(summary.feedID, limit: 10, offset: 0) == [rejected])
        }
    }

    @Test func anItemOverTheSizeLimitIsRejectedUnread() async throws {
        try await withTemporaryStore { store, _ async throws in
            var configuration = Ingestor.Configuration()
            configuration.maximumItemBytes = 2_048
            let ingestor = Ingestor(storage: store, configuration: configuration)
            let big = #"{"padding": "\#(String(repeating: "x", count: 4_096))"}"#
            let summary = try await ingestor.ingest(
                "shopee/orders",
                RevisionTests.envelope(big, RevisionTests.shopee("B1"))
            )
            #expect(summary.accepted == 1)
            #expect(summary.rejected.map(\.index) == [0])
            #expect(summary.rejected.first?.reason.contains("over the limit of 2048 bytes") == true)
            let lines = try await ingestor.ingest(
                "shopee/orders",
                big + "\n" + RevisionTests.shopee("B2"),
                format: .ndjson
            )
            #expect(lines.accepted == 1 && lines.rejected.map(\.line) == [1])
        }
    }
}
