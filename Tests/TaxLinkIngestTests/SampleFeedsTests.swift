import Foundation
import TestSupport
import Testing
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

/// The samples through ingest on SQLite; their records against the expected output, on both stores,
/// are in `TaxLinkStoreTests/SampleFeedsEndToEndTests`.
@Suite("Sample feeds end to end")
struct SampleFeedsTests {
    static let feeds = SampleFeeds.all

    @Test func redeliveringEveryFeedIsADuplicate() async throws {
        try await withTemporaryStore { store, _ in
            let ingestor = Ingestor(storage: store)
            for (path, file, format) in Self.feeds {
                _ = try await ingestor.ingest(
                    source: FeedSource(path: path, format: format), format: format, body: try sampleFeed(file),
                    receivedAt: sampleReceivedAt)
            }
            let before = try await store.statistics()
            for (path, file, format) in Self.feeds {
                let again = try await ingestor.ingest(
                    source: FeedSource(path: path, format: format), format: format, body: try sampleFeed(file),
                    receivedAt: sampleReceivedAt.adding(seconds: 3600))
                #expect(again.accepted == 0, "\(file)")
                #expect(again.duplicates == again.received - again.ignored, "\(file)")
                #expect(again.revised == 0, "\(file)")
            }
            let after = try await store.statistics()
            #expect(after.records == before.records)
            #expect(after.settlements == before.settlements)
        }
    }

    @Test func buyerPersonalDataIsNeverStored() async throws {
        try await withTemporaryStore { store, path in
            let ingestor = Ingestor(storage: store)
            for (source, file, format) in Self.feeds {
                _ = try await ingestor.ingest(
                    source: FeedSource(path: source, format: format), format: format, body: try sampleFeed(file),
                    receivedAt: sampleReceivedAt)
            }
            var stored = Data()
            for suffix in ["", "-wal"] {
                stored.append((try? Data(contentsOf: URL(fileURLWithPath: path + suffix))) ?? Data())
            }
            // A buyer's phone and name (Lazada), an e-mail (Shopee returns), a recipient (Shopee).
            for personal in ["0934819464", "b765988@example.vn", "Bùi Thanh Tú", "264 Phan Đình Phùng"] {
                #expect(stored.range(of: Data(personal.utf8)) == nil, "\(personal) was stored")
            }
            #expect(try await store.statistics().records == 139)
        }
    }
}
