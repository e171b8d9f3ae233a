import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore
import Testing

/// A feed past `maximumItems` is refused whole, in every format; CSV, settlement and declaration
/// bodies flow through the store in chunks.
@Suite("Item limit and streamed CSV")
struct ItemLimitTests {
    static let csvHeader =
        "order_id,kind,completed_at,seller_id,seller_type,quantity,line_amount,buyer_paid"
    static let vnpayHeader =
        "vnp_TxnRef,vnp_TransactionNo,vnp_Amount,vnp_PayDate,vnp_BankCode,vnp_TransactionStatus,vnp_OrderInfo"

    /// A body of `count` items of each format (bad ones are enough: rejections count as items).
    static func body(_ path: String, _ format: FeedSource.BodyFormat, count: Int) -> String {
        switch (path, format) {
        case ("shopee/orders", .ndjson): return Array(repeating: "{}", count: count).joined(separator: "\n")
        case ("shopee/orders", _):
            return RevisionTests.envelope(Array(repeating: "{}", count: count).joined(separator: ","))
        case ("tiki/orders", _):
            return ([csvHeader] + (0..<count).map { "O\($0),sale,bad,1,household,1,1,1" }).joined(separator: "\n")
        case ("vnpay/settlements", _):
            return ([vnpayHeader] + (0..<count).map { "R\($0),\($0),1,2,N,00,x" }).joined(separator: "\n")
        default:
            return
                #"{"tax_period": "2026-01", "rows": [\#(Array(repeating: "{}", count: count).joined(separator: ","))]}"#
        }
    }

    static let formats: [(String, FeedSource.BodyFormat)] = [
        ("shopee/orders", .json), ("shopee/orders", .ndjson), ("tiki/orders", .csv), ("vnpay/settlements", .csv),
        ("tiki/declarations", .json),
    ]

    @Test(arguments: formats)
    func aFeedPastTheItemLimitIsRefusedWhole(path: String, format: FeedSource.BodyFormat) async throws {
        try await withTemporaryStore { store, _ async throws in
            var configuration = Ingestor.Configuration()
            configuration.maximumItems = 10
            configuration.chunkSize = 3
            let ingestor = Ingestor(storage: store, configuration: configuration)
            let atLimit = try await ingestor.ingest(path, Self.body(path, format, count: 10), format: format)
            #expect(atLimit.received == 10)
            let error = await #expect(throws: FeedError.self) {
                try await ingestor.ingest(path, Self.body(path, format, count: 11), format: format)
            }
            #expect(error?.isTooLarge == true)
            #expect(error?.message.contains("10 items") == true && error?.message.contains("split") == true)
            #expect(try await store.feed("f-000002")?.status == .failed)
        }
    }

    @Test func aCSVFeedIsStoredInChunksAndItsRejectionsAllKept() async throws {
        try await withTemporaryStore { store, _ async throws in
            var configuration = Ingestor.Configuration()
            configuration.chunkSize = 7
            let ingestor = Ingestor(storage: store, configuration: configuration)
            let counts = Counts()
            let summary = try await ingestor.ingest(
                source: FeedSource(path: "tiki/orders", format: .csv),
                format: .csv,
                body: Array(Self.body("tiki/orders", .csv, count: 100).utf8),
                receivedAt: sampleReceivedAt,
                progress: { counts.append($0) }
            )
            #expect(summary.rejectedTotal == 100)
            #expect(counts.values.count >= 100 / 7)
            let page = try await store.feedRejections(summary.feedID, limit: 3, offset: 97)
            #expect(page.map(\.line) == [99, 100, 101])
        }
    }

    @Test func aCSVBrokenLateLeavesAFailedFeedAndNothingElse() async throws {
        try await withTemporaryStore { store, _ async throws in
            var configuration = Ingestor.Configuration()
            configuration.chunkSize = 2
            let body = Self.body("tiki/orders", .csv, count: 20) + "\nO99,\"sale"
            await #expect(throws: FeedError.self) {
                try await Ingestor(storage: store, configuration: configuration).ingest(
                    "tiki/orders",
                    body,
                    format: .csv
                )
            }
            #expect(try await store.feed("f-000001")?.status == .failed)
            #expect(try await store.showsNothing())
        }
    }
}

/// Progress counts, gathered from the ingest's callback.
final class Counts: @unchecked Sendable {
    // @unchecked Sendable: `values` is guarded by `lock`.
    private let lock = NSLock()
    private var stored: [Int] = []
    var values: [Int] { lock.withLock { stored } }
    func append(_ value: Int) { lock.withLock { stored.append(value) } }
}
