import TaxLinkCore
import TaxLinkStore
import Testing

/// Many processes on one PostgreSQL: two stores with pools of their own (as two `serve`
/// processes have) store overlapping feeds at the same moment.
@Suite struct FeedConcurrencyTests {
    typealias Samples = FeedSamples

    /// How many times each race runs.
    static let rounds = 6

    /// Stores orders `ids` as one feed in chunks of 100, the sales of `amount`.
    static func push(_ ids: [Int], round: Int, amount: Int64 = 100_000, to store: any Storage) async throws
        -> FeedSummary
    {
        try await Samples.store(store) { feed in
            stride(from: 0, to: ids.count, by: 100).map { start in
                .items(
                    ids[start..<min(start + 100, ids.count)].map {
                        Samples.sale("\(round)-\($0)", amount: amount, feedID: feed)
                    }
                )
            }
        }
    }

    @Test func overlappingFeedsPushedToTwoProcessesAtOnceStoreEachOrderOnce() async throws {
        try await StoreFixture.withTwoPostgresStores { first, second in
            for round in 0..<Self.rounds {
                async let left = Self.push(Array(0..<400), round: round, to: first)
                async let right = Self.push(Array(200..<600), round: round, to: second)
                let (a, b) = try await (left, right)
                #expect(a.accepted + b.accepted == 600)
                #expect(a.duplicates + b.duplicates == 200)
                #expect(a.revised + b.revised == 0)
            }
            let stored = try await Samples.records(first, RecordQuery(allRevisions: true))
            #expect(stored.count == 600 * Self.rounds)
            #expect(stored.allSatisfy { $0.revision == 1 })
            #expect(Set(stored.map(\.recordID)).count == stored.count)
            #expect(try await second.statistics().records == 600 * Self.rounds)
        }
    }

    @Test func theSameChangeAndTwoDifferentChangesPushedAtOnce() async throws {
        try await StoreFixture.withTwoPostgresStores { first, second in
            for round in 0..<Self.rounds {
                _ = try await Self.push(Array(0..<200), round: round, to: first)
                // The same revision to two processes: one stores revision 2, the other counts a duplicate.
                async let sameLeft = Self.push(Array(0..<200), round: round, amount: 90_000, to: first)
                async let sameRight = Self.push(Array(0..<200), round: round, amount: 90_000, to: second)
                let (a, b) = try await (sameLeft, sameRight)
                #expect(
                    (a.accepted + b.accepted, a.duplicates + b.duplicates, a.revised + b.revised) == (200, 200, 200)
                )
                // Two different versions at once: both are kept, as revisions 3 and 4, in some order.
                async let differentLeft = Self.push(Array(0..<200), round: round, amount: 80_000, to: first)
                async let differentRight = Self.push(Array(0..<200), round: round, amount: 70_000, to: second)
                let (c, d) = try await (differentLeft, differentRight)
                #expect((c.accepted + d.accepted, c.revised + d.revised) == (400, 400))
            }
            let stored = try await Samples.records(second, RecordQuery(allRevisions: true))
            #expect(stored.count == 200 * 4 * Self.rounds)
            var revisions: [String: [Int]] = [:]
            for record in stored { revisions[record.recordID, default: []].append(record.revision) }
            #expect(revisions.values.allSatisfy { $0 == [1, 2, 3, 4] })
            #expect(try await first.statistics().records == 200 * Self.rounds)
        }
    }

    @Test func returnsAndTheirSalesPushedToTwoProcessesAtOnceBecomeRefunds() async throws {
        try await StoreFixture.withTwoPostgresStores { first, second in
            for round in 0..<Self.rounds {
                let orders = (0..<150).map { "\(round)-\($0)" }
                async let sales = Samples.store(first) { feed in
                    stride(from: 0, to: orders.count, by: 50).map { start in
                        .items(orders[start..<start + 50].map { Samples.sale($0, feedID: feed) })
                    }
                }
                async let returns = Samples.store(second, source: "shopee/returns") { feed in
                    stride(from: 0, to: orders.count, by: 50).map { start in
                        .items(orders[start..<start + 50].map { Samples.claim("R\($0)", order: $0, feedID: feed) })
                    }
                }
                let (stored, claimed) = try await (sales, returns)
                #expect((stored.accepted, claimed.accepted) == (150, 150))
            }
            let refunds = try await Samples.records(first, RecordQuery(allRevisions: true)).filter {
                $0.recordID.hasPrefix("shopee:refund:")
            }
            #expect(refunds.count == 150 * Self.rounds)
            #expect(refunds.allSatisfy { $0.revision == 1 })
        }
    }
}
