import Foundation
import GRDB
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import Testing

@testable import TaxLinkStore

/// A writer that fails ends the push, only feeds of gone processes are abandoned, rejections page.
@Suite("Feed store hardening")
struct FeedStoreHardeningTests {
    @Test(.timeLimit(.minutes(1)))
    func aWriteThatFailsEndsThePushAndMarksTheFeedFailed() async throws {
        try await withTemporaryStore { store, _ async throws in
            try await store.pool.write { db in
                try db.execute(
                    sql: "CREATE TRIGGER refuse BEFORE INSERT ON records BEGIN SELECT RAISE(ABORT, 'disk full'); END"
                )
            }
            var configuration = Ingestor.Configuration()
            configuration.chunkSize = 1
            let ingestor = Ingestor(storage: store, configuration: configuration)
            let body = RevisionTests.envelope((0..<50).map { RevisionTests.shopee("W\($0)") }.joined(separator: ","))
            await #expect(throws: DatabaseError.self) { try await ingestor.ingest("shopee/orders", body) }
            #expect(try await store.feed("f-000001")?.status == .failed)
        }
    }

    @Test func onlyFeedsOfGoneProcessesAreAbandonedOnOpening() async throws {
        try await withTemporaryStore { store, path async throws in
            let finished = Process()
            finished.executableURL = URL(fileURLWithPath: "/bin/true")
            try finished.run()
            finished.waitUntilExit()
            let feed = NewFeed(source: "shopee/orders", receivedAt: sampleReceivedAt)
            let live = try await store.beginFeed(feed)
            let gone = try await store.beginFeed(
                feed,
                owner: FeedOwner(pid: finished.processIdentifier, startTime: nil)
            )
            let reused = try await store.beginFeed(
                feed,
                owner: FeedOwner(pid: FeedOwner.current.pid, startTime: (FeedOwner.current.startTime ?? 0) + 1)
            )

            let reopened = try SQLiteStore(path: path)
            #expect(try await reopened.feed(live)?.status == .receiving)
            #expect(try await reopened.feed(gone)?.status == .abandoned)
            if FeedOwner.current.startTime != nil {
                #expect(try await reopened.feed(reused)?.status == .abandoned)
            }
        }
    }

    @Test(arguments: [("1234", true), ("1234:99", true), ("", false), ("x", false), ("1:2:3", false), ("-5", false)])
    func storedOwnersAreReadBackOrRefused(text: String, valid: Bool) {
        #expect((FeedOwner(stored: text) != nil) == valid)
        if let owner = FeedOwner(stored: text) { #expect(owner.stored == text) }
    }

    @Test func rejectionsArePagedByOrdinal() async throws {
        try await withTemporaryStore { store, _ async throws in
            let body = RevisionTests.envelope(Array(repeating: "{}", count: 300).joined(separator: ","))
            let summary = try await Ingestor(storage: store).ingest("shopee/orders", body)
            #expect(summary.rejectedTotal == 300)
            let page = try await store.feedRejections(summary.feedID, limit: 5, offset: 207)
            #expect(page.map(\.index) == [207, 208, 209, 210, 211])
            #expect(try await store.feedRejections(summary.feedID, limit: 5, offset: 298).count == 2)
            #expect(try await store.feedRejections(summary.feedID, limit: 5, offset: 300).isEmpty)
        }
    }
}
