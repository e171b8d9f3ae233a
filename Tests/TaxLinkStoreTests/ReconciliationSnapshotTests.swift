import Foundation
import TaxLinkCore
import Testing

@testable import TaxLinkStore

/// ``FindingsStorage/withReconciliationSnapshot(_:)`` on both stores: every input of a reconciliation,
/// read from one consistent snapshot.
@Suite struct ReconciliationSnapshotTests {
    typealias Feeds = FeedSamples

    /// What one snapshot read, in plain values.
    struct Read: Sendable, Equatable {
        var latest: [String] = []
        var latestAgain: [String] = []
        var january: [String] = []
        var elsewhere: [String] = []
        var chosen: [String] = []
        var bodies: [String: String] = [:]
        var claims: [String] = []
        var settled: [SettledOrderRow] = []
        var pushed: Set<String> = []
        var summaries: [SettlementSummaryRow] = []
        var declared: [Int64] = []
        var rejections: [MinistryRejection] = []
    }

    /// Sales A and B, a return of an order never pushed, settlements of A (twice) and of an unknown
    /// order Q, a declaration sent twice, and a ministry rejection of A.
    static func fill(_ store: any Storage & OutboxStorage) async throws {
        try await Feeds.store(store) { feed in
            [
                .items([
                    Feeds.sale("A", feedID: feed), Feeds.sale("B", feedID: feed),
                    Feeds.claim("R1", order: "Z", feedID: feed),
                ]),
                .settlements([
                    Feeds.settlement("t1", order: "A", amount: 60_000),
                    Feeds.settlement("t2", order: "A", amount: 40_000),
                    Feeds.settlement("t3", order: "Q", amount: 5),
                ]),
            ]
        }
        for revenue: Int64 in [5, 7] {
            try await Feeds.store(store, source: "shopee/declarations") { _ in
                [.declaration(Feeds.declaration(revenue: revenue))]
            }
        }
        let recordA = RecordRevision(recordID: "shopee:sale:A", revision: 1)
        try await store.insertBatch(OutboxSamples.batch("b1", [recordA], at: 1_000))
        _ = try await store.claimDueBatches(owner: "w", now: Timestamp(unixSeconds: 1_000), leaseSeconds: 60, limit: 1)
        let rejection = MinistryRejection(
            batchID: "b1",
            recordID: recordA.recordID,
            revision: 1,
            code: "R1",
            message: "sai"
        )
        try await store.finishAttempt(
            batchID: "b1",
            owner: "w",
            attempt: BatchAttempt(at: Timestamp(unixSeconds: 1_001), status: 201, error: nil, nextWait: nil),
            transition: .delivered(
                receipt: [1],
                receiptJWS: "r",
                rejections: [rejection],
                at: Timestamp(unixSeconds: 1_001)
            )
        )
    }

    @Test(arguments: StoreKind.allCases)
    func readsEveryInputFromOneSnapshot(kind: StoreKind) async throws {
        try await StoreFixture.withFindings(kind) { store in
            try await Self.fill(store)
            let read = try await store.withReconciliationSnapshot { snapshot in
                var read = Read()
                let name = { (row: LatestRecordRow) in "\(row.recordID)#\(row.revision)" }
                try snapshot.forEachLatestRecord(platform: nil, period: nil) { row, body in
                    read.latest.append(name(row))
                    read.bodies[row.recordID] = String(
                        decoding: body.withUnsafeBufferPointer { Array($0) },
                        as: UTF8.self
                    )
                }
                // A sale stored meanwhile by another writer is not in this snapshot.
                Self.blocking { try await OutboxSamples.store([OutboxSamples.sale("C")], at: 300, in: store) }
                try snapshot.forEachLatestRecord(platform: nil, period: nil) { row, _ in
                    read.latestAgain.append(name(row))
                }
                try snapshot.forEachLatestRecord(platform: "shopee", period: TaxPeriod(year: 2026, month: 1)) {
                    row,
                    _ in
                    read.january.append(name(row))
                }
                try snapshot.forEachLatestRecord(platform: "lazada", period: nil) { row, _ in
                    read.elsewhere.append(name(row))
                }
                try snapshot.latestRecords(recordIDs: ["shopee:sale:B", "shopee:sale:none"]) { row, _ in
                    read.chosen.append(name(row))
                }
                read.claims = try snapshot.pendingReturnClaims().map(\.returnID)
                try snapshot.forEachSettledOrder { read.settled.append($0) }
                read.pushed = try snapshot.pushedSaleOrders(platform: "shopee", orderIDs: ["A", "Q", "B"])
                read.summaries = try snapshot.settlementSummaries(platform: "shopee", orderIDs: ["Q", "A", "none"])
                read.declared = try snapshot.declarationsInForce().flatMap { $0.rows.map(\.revenue) }
                read.rejections = try snapshot.recordRejections()
                return read
            }
            #expect(read.latest == ["shopee:sale:A#1", "shopee:sale:B#1"])
            #expect(read.latestAgain == read.latest && read.january == read.latest && read.elsewhere.isEmpty)
            #expect(read.chosen == ["shopee:sale:B#1"])
            let stored = try await Feeds.records(store)
            #expect(read.bodies == Dictionary(uniqueKeysWithValues: stored.prefix(2).map { ($0.recordID, $0.body) }))
            #expect(read.claims == ["R1"])
            #expect(
                read.settled.sorted { $0.orderID < $1.orderID } == [
                    SettledOrderRow(platform: "shopee", orderID: "A", amount: 100_000),
                    SettledOrderRow(platform: "shopee", orderID: "Q", amount: 5),
                ]
            )
            #expect(read.pushed == ["A", "B"])
            let paidAt = Timestamp(unixSeconds: 1_768_000_100)
            #expect(
                read.summaries == [
                    SettlementSummaryRow(
                        platform: "shopee",
                        orderID: "A",
                        amount: 100_000,
                        count: 2,
                        firstPaidAt: paidAt
                    ),
                    SettlementSummaryRow(platform: "shopee", orderID: "Q", amount: 5, count: 1, firstPaidAt: paidAt),
                ]
            )
            #expect(read.declared == [7, 1_000])
            #expect(read.rejections.map(\.code) == ["R1"])
            #expect(try await Feeds.records(store).count == 3)
        }
    }

    /// Waits on this thread (a snapshot body's, never one of the cooperative pool) for `work`.
    static func blocking(_ work: @escaping @Sendable () async throws -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            try? await work()
            done.signal()
        }
        done.wait()
    }
}
