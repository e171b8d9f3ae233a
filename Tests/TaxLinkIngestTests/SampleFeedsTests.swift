import Foundation
import Testing
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

@Suite("Sample feeds end to end")
struct SampleFeedsTests {
    static let feeds: [(String, String, FeedSource.BodyFormat)] = [
        ("shopee/orders", "shopee-orders.json", .json),
        ("shopee/returns", "shopee-returns.json", .json),
        ("lazada/orders", "lazada-orders.json", .json),
        ("tiktokshop/orders", "tiktokshop-orders.json", .json),
        ("tiki/orders", "tiki-orders.csv", .csv),
        ("shopee/declarations", "declarations-shopee.json", .json),
        ("lazada/declarations", "declarations-lazada.json", .json),
        ("tiktokshop/declarations", "declarations-tiktokshop.json", .json),
        ("tiki/declarations", "declarations-tiki.json", .json),
        ("vnpay/settlements", "vnpay-settlements.csv", .csv),
    ]

    /// The expected records with the feed id replaced (the samples name the file; ids are ours).
    static func normalised(_ line: String) throws -> String {
        var value = try JSONParser.parse(Array(line.utf8))
        guard case .object(var record) = value, case .object(var source) = record["source"]! else { return line }
        source.members[0].value = "feed"
        record.members[record.members.firstIndex { $0.key == "source" }!].value = .object(source)
        value = .object(record)
        return CanonicalJSON.string(value)
    }

    @Test func recordsMatchTheExpectedOutputByteForByte() async throws {
        try await withTemporaryStore { store, _ in
            let ingestor = Ingestor(storage: store)
            for (path, file, format) in Self.feeds {
                let summary = try await ingestor.ingest(
                    source: FeedSource(path: path, format: format), format: format, body: try sampleFeed(file),
                    receivedAt: sampleReceivedAt)
                #expect(summary.rejected.isEmpty, "\(file): \(summary.rejected)")
            }
            var actual: [String] = []
            try await store.forEachRecord(RecordQuery()) { actual.append(try Self.normalised($0.body)) }
            let expectedText = try String(
                contentsOf: repositoryRoot.appendingPathComponent("Tests/TaxLinkIngestTests/Fixtures/expected-records.jsonl"),
                encoding: .utf8)
            let expected = try expectedText.split(separator: "\n").map { try Self.normalised(String($0)) }
            #expect(actual.count == expected.count)
            let missing = Set(expected).subtracting(actual)
            #expect(missing.isEmpty, "not produced: \(missing.sorted().prefix(3))")
            let extra = Set(actual).subtracting(expected)
            #expect(extra.isEmpty, "unexpected: \(extra.sorted().prefix(3))")
        }
    }

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
