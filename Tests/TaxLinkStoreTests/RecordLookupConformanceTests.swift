import TaxLinkCore
import Testing

@testable import TaxLinkStore

/// ``RecordLookupStorage`` on both stores: a record's revisions with their feeds, its batches and receipt,
/// its findings; a seller's records; the declaration in force; search by record id, order id and tax id.
@Suite struct RecordLookupConformanceTests {
    typealias Samples = RecordLookupSamples

    @Test(arguments: StoreKind.allCases)
    func aRecordIsReadWithEveryRevisionItsFeedsItsBatchAndItsFindings(kind: StoreKind) async throws {
        try await Samples.withStore(kind) { store in
            let (first, second) = try await Samples.storeTwoFeeds(in: store)
            try await Samples.deliverFirstRevisionOfA(in: store)
            try await store.applyFindingWrites([
                FindingSamples.insert(FindingSamples.content("f-small", recordID: "shopee:sale:A", amount: 10)),
                FindingSamples.insert(FindingSamples.content("f-big", recordID: "shopee:sale:A", amount: 900)),
                FindingSamples.insert(FindingSamples.content("f-other", recordID: "shopee:sale:B", amount: 5_000)),
            ])

            let revisions = try await store.recordRevisions(recordID: "shopee:sale:A")
            #expect(revisions.map(\.revision) == [1, 2])
            #expect(revisions.map(\.feedID) == [first, second])
            #expect(revisions.map(\.feedSource) == ["shopee/orders", "shopee/orders"])
            #expect(revisions.map(\.isLatest) == [false, true])
            #expect(revisions.map(\.receivedAt) == [Samples.firstFeedAt, Samples.secondFeedAt])
            #expect(revisions.map(\.flags) == [[], ["LATE_REPORT", "WITHHOLDING_MISMATCH"]])
            #expect(revisions.allSatisfy { $0.sellerID == "9" && $0.taxPeriod == "2026-01" && $0.kind == "sale" })
            let latest = try TransactionRecord(json: JSONParser.parse(Array(try #require(revisions.last).body.utf8)))
            #expect(latest.amounts.gross == 250_000 && latest.seller.name == Samples.hostileName)
            #expect(try await store.recordRevisions(recordID: "shopee:sale:none").isEmpty)

            let batches = try await store.recordBatches(recordID: "shopee:sale:A")
            #expect(batches.count == 1)
            let batch = try #require(batches.first)
            #expect(batch.revision == 1 && batch.batchID == "b1" && batch.state == "delivered")
            #expect(batch.createdAt == Timestamp(unixSeconds: 2_000))
            #expect(batch.deliveredAt == Timestamp(unixSeconds: 2_010))
            #expect(batch.receiptVerdict == "verified" && batch.receiptAt == Timestamp(unixSeconds: 2_009))
            #expect(batch.rejection == "R-TAXID: mã số thuế không hợp lệ")
            let other = try await store.recordBatches(recordID: "shopee:sale:B")
            #expect(other.map(\.batchID) == ["b1"] && other.first?.rejection == nil)
            #expect(try await store.recordBatches(recordID: "shopee:sale:C").isEmpty)

            let findings = try await store.recordFindings(recordID: "shopee:sale:A")
            #expect(findings.map(\.content.id) == ["f-big", "f-small"])
            #expect(findings.first?.workflow.status == "open")
            #expect(try await store.recordFindings(recordID: "shopee:sale:none").isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSellersLatestRecordsArePagedNewestFirstAndReadWhole(kind: StoreKind) async throws {
        try await Samples.withStore(kind) { store in
            _ = try await Samples.storeTwoFeeds(in: store)
            let page = try await store.sellerRecords(sellerID: "9", platform: nil, limit: 1, offset: 0)
            // C happened last; A's latest revision only.
            #expect(page.total == 2 && page.rows.map(\.recordID) == ["shopee:sale:C"])
            let next = try await store.sellerRecords(sellerID: "9", platform: "shopee", limit: 5, offset: 1)
            #expect(next.total == 2 && next.rows.map(\.recordID) == ["shopee:sale:A"] && next.rows.first?.revision == 2)
            let elsewhere = try await store.sellerRecords(sellerID: "9", platform: "lazada", limit: 5, offset: 0)
            #expect(elsewhere.total == 0 && elsewhere.rows.isEmpty)
            #expect(try await store.sellerRecords(sellerID: "none", platform: nil, limit: 5, offset: 0).total == 0)

            var all: [String] = []
            try await store.forEachSellerRecord(sellerID: "9", platform: nil) {
                all.append("\($0.recordID)#\($0.revision)")
            }
            #expect(all == ["shopee:sale:A#2", "shopee:sale:C#1"])
            var others: [String] = []
            try await store.forEachSellerRecord(sellerID: "10", platform: "shopee") { others.append($0.recordID) }
            #expect(others == ["shopee:sale:B"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theDeclarationInForceIsTheLatestVersion(kind: StoreKind) async throws {
        try await Samples.withStore(kind) { store in
            let january = try #require(TaxPeriod(year: 2026, month: 1))
            #expect(try await store.declarationInForce(platform: "shopee", period: january) == nil)
            try await FeedSamples.store(store, source: "shopee/declarations") { _ in
                [.declaration(FeedSamples.declaration(revenue: 100_000))]
            }
            let amended = try await FeedSamples.store(store, source: "shopee/declarations") { _ in
                [.declaration(FeedSamples.declaration(revenue: 250_000))]
            }
            let stored = try #require(try await store.declarationInForce(platform: "shopee", period: january))
            #expect(stored.version == 2 && stored.feedID == amended.feedID)
            #expect(stored.receivedAt == FeedSamples.receivedAt)
            #expect(stored.declaration == FeedSamples.declaration(revenue: 250_000))
            let february = try #require(TaxPeriod(year: 2026, month: 2))
            #expect(try await store.declarationInForce(platform: "shopee", period: february) == nil)
            #expect(try await store.declarationInForce(platform: "lazada", period: january) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func searchFindsLatestRecordsByRecordIDOrderIDAndTaxIDExactly(kind: StoreKind) async throws {
        try await Samples.withStore(kind) { store in
            _ = try await Samples.storeTwoFeeds(in: store)
            func ids(_ search: RecordSearch, limit: Int = 10) async throws -> [String] {
                try await store.searchRecords(search, limit: limit).map { "\($0.recordID)#\($0.revision)" }
            }
            #expect(try await ids(.recordID("shopee:sale:A")) == ["shopee:sale:A#2"])
            #expect(try await ids(.recordID("shopee:sale:")) == [])
            #expect(try await ids(.externalID("A")) == ["lazada:sale:A#1", "shopee:sale:A#2"])
            #expect(try await ids(.externalID("A"), limit: 1) == ["lazada:sale:A#1"])
            #expect(try await ids(.taxID("0100233488")) == ["shopee:sale:A#2", "shopee:sale:C#1"])
            // Exact: a prefix of a tax code, or a branch code's head, finds nothing more.
            #expect(try await ids(.taxID("010023348")) == [])
            #expect(try await ids(.taxID("0312345673")) == [])
            #expect(try await ids(.taxID("0312345673-001")) == ["shopee:sale:B#1"])
            #expect(try await ids(.taxID("001099012345")) == ["lazada:sale:A#1"])
            // A tax id written into a name does not make the record match.
            #expect(try await ids(.taxID("0999999999")) == [])
        }
    }
}
