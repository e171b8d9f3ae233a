import TaxLinkCore
import TaxLinkStore
import Testing

/// The same feeds stored in SQLite and in PostgreSQL give byte-identical records and the same
/// feed summaries.
@Suite struct FeedParityTests {
    typealias Samples = FeedSamples

    /// A mix of everything a feed may carry, in three feeds.
    static func feeds() -> [(source: String, parts: (String) -> [FeedPart])] {
        [
            (
                "shopee/orders",
                { feed in
                    [
                        .items([
                            Samples.sale("A", feedID: feed), Samples.pending("P", "READY"),
                            quarantined(Samples.sale("Q", amount: 7, feedID: feed)),
                        ]),
                        .rejections([
                            FeedSummary.Rejected(
                                index: 3,
                                line: nil,
                                externalID: "Z",
                                code: "AMOUNT_INVALID",
                                reason: "bad"
                            )
                        ]),
                        .items((0..<50).map { Samples.sale("S\($0)", amount: 1_000 + Int64($0), feedID: feed) }),
                    ]
                }
            ),
            (
                "shopee/returns",
                { feed in
                    [
                        .items([
                            Samples.claim("R1", order: "A", feedID: feed),
                            Samples.claim("R2", order: "B", feedID: feed),
                        ])
                    ]
                }
            ),
            (
                "shopee/orders",
                { feed in
                    [
                        .items([
                            Samples.sale("A", amount: 120_000, feedID: feed), Samples.sale("B", feedID: feed),
                            Samples.sale("S1", amount: 1_001, feedID: feed), Samples.pending("P", "SHIPPED"),
                        ]),
                        .settlements([Samples.settlement("T1", order: "A"), Samples.settlement("T1", order: "A")]),
                    ]
                }
            ),
        ]
    }

    /// `item`, a sale, with a flag that holds it back from upload.
    static func quarantined(_ item: IngestItem) -> IngestItem {
        guard case .record(let prepared) = item else { return item }
        return .record(PreparedRecord(prepared.adapted, flags: [.taxIDMissing]))
    }

    /// Stores ``feeds()`` and answers every revision and every feed as stored.
    static func storeAll(in store: any Storage) async throws -> (records: [StoredRecord], feeds: [StoredFeed]) {
        for feed in feeds() { try await Samples.store(store, source: feed.source, feed.parts) }
        let records = try await Samples.records(store, RecordQuery(allRevisions: true))
        var stored: [StoredFeed] = []
        for summary in try await store.feeds(limit: 10, offset: 0) {
            stored.append(try #require(try await store.feed(summary.id)))
        }
        return (records, stored)
    }

    @Test func recordsAreByteIdenticalOnSQLiteAndPostgreSQL() async throws {
        let sqlite = try await StoreFixture.withStore(.sqlite) { try await Self.storeAll(in: $0.storage) }
        let postgres = try await StoreFixture.withStore(.postgres) { try await Self.storeAll(in: $0.storage) }
        #expect(sqlite.records.count == 56)
        #expect(sqlite.records.filter(\.quarantined).map(\.recordID) == ["shopee:sale:Q"])
        #expect(postgres.records.map(\.recordID) == sqlite.records.map(\.recordID))
        #expect(postgres.records.map(\.revision) == sqlite.records.map(\.revision))
        #expect(postgres.records.map { Array($0.body.utf8) } == sqlite.records.map { Array($0.body.utf8) })
        #expect(postgres.records == sqlite.records)
        #expect(postgres.feeds == sqlite.feeds)
    }
}

extension TestStore {
    /// The store, as the feed path sees it.
    var storage: any Storage {
        switch backing {
        case .sqlite(let sqlite): sqlite
        case .postgres(let postgres): postgres
        }
    }
}
