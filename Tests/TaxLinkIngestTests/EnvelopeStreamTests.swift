import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore
import Testing

/// A JSON envelope is ingested as its bytes arrive, item by item, adapted on every core: the same
/// feed as the whole body, whatever the pieces.
@Suite("JSON envelopes streamed")
struct EnvelopeStreamTests {
    /// `body` in pieces of `size` bytes.
    static func pieces(_ body: [UInt8], of size: Int) -> [[UInt8]] {
        stride(from: 0, to: body.count, by: size).map { Array(body[$0..<min($0 + size, body.count)]) }
    }

    @Test(arguments: ["shopee-orders.json", "lazada-orders.json", "tiktokshop-orders.json", "shopee-returns.json"])
    func anEnvelopeInPiecesIsStoredAsTheWholeBody(file: String) async throws {
        let body = try sampleFeed(file)
        let path = file.hasPrefix("shopee-returns") ? "shopee/returns" : "\(file.split(separator: "-")[0])/orders"
        let source = try FeedSource(path: path, format: .json)
        let (whole, wholeRecords, wholeDigest) = try await withTemporaryStore { store, _ async throws in
            let summary = try await Ingestor(storage: store).ingest(
                source: source, format: .json, body: body, receivedAt: sampleReceivedAt)
            return (
                summary, try await store.allRecords(RecordQuery(allRevisions: true)),
                try await store.feed(summary.feedID)?.bodySHA256
            )
        }
        #expect(whole.received > 0 && wholeDigest != nil)
        for size in [1, 7, 4_096] {
            try await withTemporaryStore { store, _ async throws in
                let streamed = try await Ingestor(storage: store).ingestStream(
                    source: source, format: .json, chunks: Pieces(chunks: Self.pieces(body, of: size)),
                    receivedAt: sampleReceivedAt)
                #expect(streamed == whole, "pieces of \(size)")
                let records = try await store.allRecords(RecordQuery(allRevisions: true))
                #expect(records.map(\.canonicalBytes) == wholeRecords.map(\.canonicalBytes), "pieces of \(size)")
                #expect(try await store.feed(streamed.feedID)?.bodySHA256 == wholeDigest)
            }
        }
    }

    /// The first items reach the store before the body's last piece is read: the envelope is not
    /// collected first.
    @Test func itemsAreStoredBeforeTheBodyEnds() async throws {
        try await withTemporaryStore { store, _ async throws in
            var configuration = Ingestor.Configuration()
            configuration.chunkSize = 1
            let progress = Progress()
            let items = (0..<400).map { RevisionTests.shopee("P\($0)") }.joined(separator: ",")
            let chunks = Pieces(
                chunks: [Array(#"{"orders": [\#(items)"#.utf8), Array("]}".utf8)],
                beforeLast: { progress.seenBeforeLast = progress.count }
            )
            let summary = try await Ingestor(storage: store, configuration: configuration).ingestStream(
                source: FeedSource(path: "shopee/orders", format: .json), format: .json, chunks: chunks,
                receivedAt: sampleReceivedAt, progress: { progress.count = $0 })
            #expect(summary.accepted == 400)
            #expect(progress.seenBeforeLast >= 64)
        }
    }

    @Test func aStreamedEnvelopeBrokenAfterItsItemsLeavesNothing() async throws {
        try await withTemporaryStore { store, _ async throws in
            let items = (0..<300).map { RevisionTests.shopee("B\($0)") }.joined(separator: ",")
            let body = Array(#"{"orders": [\#(items), {"order": ]]}"#.utf8)
            await #expect(throws: FeedError.self) {
                try await Ingestor(storage: store).ingestStream(
                    source: FeedSource(path: "shopee/orders", format: .json), format: .json,
                    chunks: Pieces(chunks: Self.pieces(body, of: 1_000)), receivedAt: sampleReceivedAt)
            }
            #expect(try await store.showsNothing())
        }
    }
}

/// Byte chunks handed out one at a time; `beforeLast` runs when the last one is asked for.
private struct Pieces: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    var beforeLast: @Sendable () -> Void = {}

    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<[UInt8]>
        let beforeLast: @Sendable () -> Void

        mutating func next() async -> [UInt8]? {
            if rest.count == 1 { beforeLast() }
            return rest.popFirst()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: chunks[...], beforeLast: beforeLast) }
}

/// Items the ingest reported stored, and how many it had when the last piece was asked for.
private final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0
    private var beforeLast = 0

    var count: Int {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }

    var seenBeforeLast: Int {
        get { lock.withLock { beforeLast } }
        set { lock.withLock { beforeLast = newValue } }
    }
}
