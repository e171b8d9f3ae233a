import TaxLinkCore
import TaxLinkStore
import Testing

/// The feed path gives the same answers on both stores: revisions, duplicates, pending orders,
/// return claims, settlements, declarations, rejections, failed feeds.
@Suite struct FeedConformanceTests {
    typealias Samples = FeedSamples

    @Test(arguments: StoreKind.allCases)
    func aChangedRecordIsItsNextRevisionAndAnIdenticalOneADuplicate(kind: StoreKind) async throws {
        try await StoreFixture.withStorage(kind) { store in
            let first = try await Samples.store(store) { feed in
                [
                    .items([
                        Samples.sale("A", feedID: feed), Samples.sale("B", feedID: feed),
                        Samples.sale("A", feedID: feed),
                    ])
                ]
            }
            #expect((first.accepted, first.duplicates, first.revised) == (2, 1, 0))
            let second = try await Samples.store(store) { feed in
                [
                    .items([Samples.sale("A", feedID: feed), Samples.sale("B", amount: 90_000, feedID: feed)]),
                    .items([Samples.sale("C", feedID: feed), Samples.sale("C", amount: 80_000, feedID: feed)]),
                ]
            }
            #expect((second.accepted, second.duplicates, second.revised) == (3, 1, 2))
            #expect(
                try await Samples.revisions(store) == ["shopee:sale:A#1", "shopee:sale:B#2", "shopee:sale:C#2"]
            )
            #expect(
                try await Samples.revisions(store, RecordQuery(allRevisions: true)) == [
                    "shopee:sale:A#1", "shopee:sale:B#1", "shopee:sale:B#2", "shopee:sale:C#1", "shopee:sale:C#2",
                ]
            )
            let latestB = try #require(try await Samples.records(store).first { $0.recordID == "shopee:sale:B" })
            let decoded = try latestB.decode()
            #expect(decoded.revision == 2 && decoded.amounts.gross == 90_000 && decoded.source.feedID == second.feedID)
            let period = try #require(TaxPeriod(year: 2026, month: 1))
            #expect(try await Samples.records(store, RecordQuery(platform: "shopee", period: period)).count == 3)
            #expect(try await Samples.records(store, RecordQuery(platform: "lazada")).isEmpty)
            #expect(try await store.statistics().records == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func pendingOrdersCountTheirChangesAndLeaveOnceCompleted(kind: StoreKind) async throws {
        try await StoreFixture.withStorage(kind) { store in
            let first = try await Samples.store(store) { _ in
                [.items([Samples.pending("P", "READY"), Samples.pending("P", "READY"), Samples.pending("Q", "READY")])]
            }
            #expect((first.accepted, first.duplicates) == (2, 1))
            let second = try await Samples.store(store) { _ in
                [.items([Samples.pending("P", "READY"), Samples.pending("P", "SHIPPED")])]
            }
            #expect((second.accepted, second.duplicates) == (1, 1))
            #expect(try await store.statistics().pendingOrders == 2)
            try await Samples.store(store) { feed in [.items([Samples.sale("P", feedID: feed)])] }
            let statistics = try await store.statistics()
            #expect((statistics.pendingOrders, statistics.records) == (1, 1))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aReturnBecomesARefundWhenItMeetsItsSaleInEitherOrder(kind: StoreKind) async throws {
        try await StoreFixture.withStorage(kind) { store in
            let early = try await Samples.store(store, source: "shopee/returns") { feed in
                [.items([Samples.claim("R1", order: "O1", feedID: feed)])]
            }
            #expect((early.accepted, early.duplicates) == (1, 0))
            #expect(try await Samples.records(store).isEmpty)
            try await Samples.store(store) { feed in [.items([Samples.sale("O1", feedID: feed)])] }
            #expect(try await Samples.revisions(store) == ["shopee:refund:R1#1", "shopee:sale:O1#1"])
            let late = try await Samples.store(store, source: "shopee/returns") { feed in
                [.items([Samples.claim("R2", order: "O1", amount: 30_000, feedID: feed)])]
            }
            #expect((late.accepted, late.duplicates) == (1, 0))
            let again = try await Samples.store(store, source: "shopee/returns") { feed in
                [.items([Samples.claim("R2", order: "O1", amount: 30_000, feedID: feed)])]
            }
            #expect((again.accepted, again.duplicates) == (0, 1))
            let refunds = try await Samples.records(store).filter { $0.recordID.hasPrefix("shopee:refund:") }
            #expect(refunds.map(\.recordID) == ["shopee:refund:R1", "shopee:refund:R2"])
            let refund = try #require(refunds.last).decode()
            #expect(
                refund.amounts.gross == 30_000 && refund.originalExternalID == "O1"
                    && refund.lines[0].name == "Áo \"đỏ\""
            )
            let both = try await Samples.store(store, source: "shopee/returns") { feed in
                [.items([Samples.claim("R3", order: "O3", feedID: feed), Samples.sale("O3", feedID: feed)])]
            }
            #expect((both.accepted, both.duplicates) == (2, 0))
            #expect(try await Samples.records(store).contains { $0.recordID == "shopee:refund:R3" })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSettlementSeenBeforeIsADuplicate(kind: StoreKind) async throws {
        try await StoreFixture.withStorage(kind) { store in
            let first = try await Samples.store(store, source: "vnpay/settlements") { _ in
                [
                    .settlements([
                        Samples.settlement("T1", order: "A"), Samples.settlement("T2", order: "B"),
                        Samples.settlement("T1", order: "A"),
                    ])
                ]
            }
            #expect((first.accepted, first.duplicates) == (2, 1))
            let second = try await Samples.store(store, source: "vnpay/settlements") { _ in
                [.settlements([Samples.settlement("T2", order: "B"), Samples.settlement("T3", order: "C")])]
            }
            #expect((second.accepted, second.duplicates) == (1, 1))
            #expect(try await store.statistics().settlements == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aChangedDeclarationReplacesTheLatestAndAnIdenticalOneIsADuplicate(kind: StoreKind) async throws {
        try await StoreFixture.withStorage(kind) { store in
            let declare = { (revenue: Int64) in
                try await Samples.store(store, source: "shopee/declarations") { _ in
                    [.declaration(Samples.declaration(revenue: revenue))]
                }
            }
            let first = try await declare(500_000)
            #expect((first.accepted, first.duplicates, first.revised) == (2, 0, 0))
            let same = try await declare(500_000)
            #expect((same.accepted, same.duplicates, same.revised) == (0, 2, 0))
            let changed = try await declare(600_000)
            #expect((changed.accepted, changed.duplicates, changed.revised) == (2, 0, 2))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func everyRejectionIsKeptInOrderAndReadBackPaged(kind: StoreKind) async throws {
        try await StoreFixture.withStorage(kind) { store in
            let rejections = (0..<2_500).map {
                FeedSummary.Rejected(
                    index: $0.isMultiple(of: 2) ? $0 : nil,
                    line: $0.isMultiple(of: 2) ? nil : $0 + 1,
                    externalID: $0.isMultiple(of: 3) ? nil : "x\($0)",
                    code: $0.isMultiple(of: 5) ? "AMOUNT_INVALID" : nil,
                    reason: "item \($0) is wrong"
                )
            }
            let summary = try await Samples.store(store) { feed in
                [
                    .rejections(Array(rejections[..<1_200])), .items([Samples.sale("A", feedID: feed)]),
                    .rejections(Array(rejections[1_200...])),
                ]
            }
            #expect(summary.rejected == Array(rejections[..<FeedSummary.answeredRejections]))
            #expect((summary.rejectedTotal, summary.received, summary.accepted) == (2_500, 2_501, 1))
            #expect(
                try await store.feedRejections(summary.feedID, limit: 10, offset: 1_195)
                    == Array(rejections[1_195..<1_205])
            )
            #expect(
                try await store.feedRejections(summary.feedID, limit: 10, offset: 2_495) == Array(rejections[2_495...])
            )
            #expect(try await store.feedRejections("f-999999", limit: 10, offset: 0).isEmpty)
            let stored = try #require(try await store.feed(summary.feedID))
            #expect(stored.status == .complete && stored.summary == summary && stored.source == "shopee/orders")
            #expect(stored.bodySHA256 == String(repeating: "b", count: 64) && stored.receivedAt == Samples.receivedAt)
            #expect(try await store.feed("f-999999") == nil)
        }
    }

    /// Invariant 9: a push that is not answered leaves nothing visible.
    @Test(arguments: StoreKind.allCases)
    func aFeedWhoseProducerThrowsIsFailedAndLeavesNothing(kind: StoreKind) async throws {
        struct CutOff: Error {}
        try await StoreFixture.withStorage(kind) { store in
            let kept = try await Samples.store(store) { feed in [.items([Samples.sale("A", feedID: feed)])] }
            let feed = NewFeed(source: "shopee/orders", receivedAt: Samples.receivedAt)
            await #expect(throws: CutOff.self) {
                _ = try await store.storeFeed(feed, resolving: Samples.Refunds()) { sink in
                    let id = sink.feedID
                    try await sink.send(
                        .items([
                            Samples.sale("B", feedID: id), Samples.sale("A", amount: 1, feedID: id),
                            Samples.pending("P", "READY"), Samples.claim("R", order: "A", feedID: id),
                        ])
                    )
                    try await sink.send(.settlements([Samples.settlement("T1", order: "B")]))
                    try await sink.send(.declaration(Samples.declaration(revenue: 1)))
                    try await sink.send(
                        .rejections([FeedSummary.Rejected(index: 0, line: nil, externalID: nil, reason: "bad")])
                    )
                    throw CutOff()
                }
            }
            let failedID = try #require(try await store.feeds(limit: 1, offset: 1).first).id
            #expect(try await Samples.revisions(store, RecordQuery(allRevisions: true)) == ["shopee:sale:A#1"])
            #expect(
                try await store.statistics()
                    == StoreStatistics(feeds: 1, records: 1, quarantined: 0, pendingOrders: 0, settlements: 0)
            )
            #expect(try await store.feedRejections(failedID, limit: 10, offset: 0).isEmpty)
            let failed = try #require(try await store.feed(failedID))
            #expect(failed.status == .failed && failed.summary == nil)
            #expect(try await store.feeds(limit: 10, offset: 0).map(\.id) == [kept.feedID, failedID])
            #expect(try await store.feeds(limit: 10, offset: 1).map(\.status) == [.failed])
            // The declaration of the failed feed was not kept: the same one is new.
            let declared = try await Samples.store(store, source: "shopee/declarations") { _ in
                [.declaration(Samples.declaration(revenue: 1))]
            }
            #expect(declared.accepted == 2)
        }
    }
}
