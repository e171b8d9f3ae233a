import TaxLinkCore
import TaxLinkStore
import Testing

/// Claims, leases, attempts and the states a batch moves through, on both stores.
@Suite struct OutboxAttemptTests {
    typealias Samples = OutboxSamples

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(unixSeconds: seconds) }

    static func attempt(_ at: Int64, _ status: Int?, _ error: String?, wait: Double? = nil) -> BatchAttempt {
        BatchAttempt(at: Timestamp(unixSeconds: at), status: status, error: error, nextWait: wait)
    }

    /// Two batches, `b1` (A, B) sealed at 1 000 and `b2` (C) at 1 001.
    static func sealTwo(in store: any Storage & OutboxStorage) async throws {
        try await Samples.store([Samples.sale("A"), Samples.sale("B"), Samples.sale("C")], at: 100, in: store)
        try await store.insertBatch(Samples.batch("b1", Samples.members("A", "B"), at: 1_000))
        try await store.insertBatch(Samples.batch("b2", Samples.members("C"), at: 1_001))
    }

    @Test(arguments: StoreKind.allCases)
    func claimsLeaseDueBatchesOnceUntilTheirLeaseRunsOut(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Self.sealTwo(in: store)
            #expect(try await store.claimDueBatches(owner: "w1", now: Self.at(999), leaseSeconds: 60, limit: 5).isEmpty)
            let first = try await store.claimDueBatches(owner: "w1", now: Self.at(1_005), leaseSeconds: 60, limit: 1)
            #expect(first.map(\.id) == ["b1"] && first.map(\.state) == [.sending])
            let second = try await store.claimDueBatches(owner: "w2", now: Self.at(1_006), leaseSeconds: 60, limit: 5)
            #expect(second.map(\.id) == ["b2"])
            #expect(
                try await store.claimDueBatches(owner: "w3", now: Self.at(1_065), leaseSeconds: 60, limit: 5).isEmpty
            )
            let status = try await store.outboxStatus(now: Self.at(1_100))
            #expect(status.states == [.sending: OutboxStatus.StateFigures(count: 2, records: 3, oldestAgeSeconds: 95)])
            #expect(status.nextAttemptAt == nil && status.lastError == nil && status.unsealedRecords == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func anExpiredLeaseIsTakenOverAndTheOldOwnerCannotFinish(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Self.sealTwo(in: store)
            let mine = try await store.claimDueBatches(
                owner: "dead-worker",
                now: Self.at(1_000),
                leaseSeconds: 30,
                limit: 1
            )
            #expect(
                try await store.claimDueBatches(owner: "w2", now: Self.at(1_030), leaseSeconds: 30, limit: 1)
                    .map(\.id) == ["b2"]
            )
            let taken = try await store.claimDueBatches(owner: "w3", now: Self.at(1_031), leaseSeconds: 30, limit: 5)
            #expect(taken.map(\.id) == ["b1"])
            let before = try #require(mine.first)
            let after = try #require(taken.first)
            #expect(after.body == before.body && after.jws == before.jws && after.bodySHA256 == before.bodySHA256)
            #expect(after.state == .sending)
            let late = try await store.finishAttempt(
                batchID: "b1",
                owner: "dead-worker",
                attempt: Self.attempt(1_032, 200, nil),
                transition: .dead(reason: "x")
            )
            #expect(!late)
            #expect(try await store.attempts(batchID: "b1").isEmpty)
            #expect(try await store.batch(id: "b1")?.state == .sending)
            let recorded = try await store.finishAttempt(
                batchID: "b1",
                owner: "w3",
                attempt: Self.attempt(1_033, 503, "busy", wait: 7),
                transition: .retry(at: Self.at(1_040), error: "busy")
            )
            #expect(recorded)
            #expect(try await store.attempts(batchID: "b1") == [Self.attempt(1_033, 503, "busy", wait: 7)])
            #expect(
                !(try await store.finishAttempt(
                    batchID: "b1",
                    owner: "w3",
                    attempt: Self.attempt(1_034, 200, nil),
                    transition: .dead(reason: "x")
                ))
            )
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBatchMovesFromRetryThroughProcessingToDelivered(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Self.sealTwo(in: store)
            _ = try await store.claimDueBatches(owner: "w", now: Self.at(1_000), leaseSeconds: 60, limit: 1)
            try await store.finishAttempt(
                batchID: "b1",
                owner: "w",
                attempt: Self.attempt(1_010, 503, "busy", wait: 30.5),
                transition: .retry(at: Self.at(1_040), error: "busy")
            )
            var batch = try #require(try await store.batch(id: "b1"))
            #expect(batch.state == .retryWait && batch.attempts == 1 && batch.nextAttemptAt == Self.at(1_040))
            #expect(batch.firstAttemptAt == Self.at(1_010) && batch.lastError == "busy")
            #expect(
                try await store.claimDueBatches(owner: "w", now: Self.at(1_039), leaseSeconds: 60, limit: 1)
                    .map(\.id) == ["b2"]
            )
            let status = try await store.outboxStatus(now: Self.at(1_039))
            #expect(status.nextAttemptAt == Self.at(1_040) && status.lastError == "busy")
            #expect(
                try await store.claimDueBatches(owner: "w", now: Self.at(1_040), leaseSeconds: 60, limit: 1)
                    .map(\.id) == ["b1"]
            )
            try await store.finishAttempt(
                batchID: "b1",
                owner: "w",
                attempt: Self.attempt(1_041, 202, nil, wait: 9),
                transition: .processing(pollAt: Self.at(1_050))
            )
            batch = try #require(try await store.batch(id: "b1"))
            #expect(batch.state == .processing && batch.attempts == 2 && batch.lastError == "busy")
            let polled = try await store.claimDueBatches(owner: "w", now: Self.at(1_050), leaseSeconds: 60, limit: 1)
            #expect(polled.map(\.state) == [.processing])
            let rejections = [
                MinistryRejection(
                    batchID: "b1",
                    recordID: Samples.recordID("B"),
                    revision: 1,
                    code: "R1",
                    message: "no"
                ),
                MinistryRejection(
                    batchID: "b1",
                    recordID: Samples.recordID("A"),
                    revision: nil,
                    code: "R2",
                    message: "—"
                ),
            ]
            let receipt: [UInt8] = Array(#"{"ok":true}"#.utf8) + [0x00, 0xFF]
            try await store.finishAttempt(
                batchID: "b1",
                owner: "w",
                attempt: Self.attempt(1_051, 200, nil),
                transition: .delivered(receipt: receipt, receiptJWS: "sig", rejections: rejections, at: Self.at(1_052))
            )
            batch = try #require(try await store.batch(id: "b1"))
            #expect(batch.state == .delivered && batch.attempts == 3 && batch.nextAttemptAt == nil)
            #expect(batch.receipt == receipt && batch.receiptJWS == "sig" && batch.deliveredAt == Self.at(1_052))
            #expect(try await store.ministryRejections() == rejections.reversed())
            #expect(try await store.attempts(batchID: "b1").map(\.status) == [503, 202, 200])
            #expect(try await store.attempts(batchID: "b1").map(\.nextWait) == [30.5, 9, nil])
            #expect(!(try await store.retryNow(batchID: "b1", now: Self.at(1_060))))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deadBatchesAreKeptWithTheirReasonAndRequeuedWithTheirHistory(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Self.sealTwo(in: store)
            try await Samples.store([Samples.sale("D")], at: 101, in: store)
            try await store.insertBatch(Samples.batch("b3", Samples.members("D"), at: 1_002))
            for id in ["b1", "b2", "b3"] {
                _ = try await store.claimDueBatches(owner: "w", now: Self.at(1_010), leaseSeconds: 60, limit: 1)
                try await store.finishAttempt(
                    batchID: id,
                    owner: "w",
                    attempt: Self.attempt(1_011, 422, "schema"),
                    transition: .dead(reason: "422: schema of \(id)")
                )
            }
            #expect(
                try await store.batches(state: .dead, limit: 10).map(\.lastError)
                    == ["b1", "b2", "b3"].map { "422: schema of \($0)" }
            )
            #expect(try await store.batches(state: .dead, limit: 2).map(\.id) == ["b1", "b2"])
            #expect(try await store.batches(state: .sealed, limit: 10).isEmpty)
            #expect(try await store.requeueDead(limit: 2, now: Self.at(2_000)) == ["b1", "b2"])
            let requeued = try #require(try await store.batch(id: "b1"))
            #expect(requeued.state == .retryWait && requeued.nextAttemptAt == Self.at(2_000))
            #expect(requeued.attemptsBeforeRequeue == 1 && requeued.requeuedAt == Self.at(2_000))
            #expect(try await store.retryNow(batchID: "b3", now: Self.at(2_001)))
            #expect(try await store.batch(id: "b3")?.requeuedAt == Self.at(2_001))
            #expect(try await store.requeueDead(limit: 10, now: Self.at(2_002)).isEmpty)
            _ = try await store.claimDueBatches(owner: "w", now: Self.at(2_010), leaseSeconds: 60, limit: 1)
            try await store.finishAttempt(
                batchID: "b1",
                owner: "w",
                attempt: Self.attempt(2_011, 503, "again", wait: 1),
                transition: .retry(at: Self.at(2_012), error: "again")
            )
            #expect(try await store.attempts(batchID: "b1").map(\.error) == ["schema", "again"])
            #expect(try await store.batch(id: "b1")?.attempts == 2)
            #expect(try await store.retryNow(batchID: "b1", now: Self.at(2_005)))
            let retried = try #require(try await store.batch(id: "b1"))
            #expect(retried.nextAttemptAt == Self.at(2_005) && retried.attemptsBeforeRequeue == 1)
            #expect(!(try await store.retryNow(batchID: "unknown", now: Self.at(2_005))))
            let status = try await store.outboxStatus(now: Self.at(2_100))
            #expect(status.states[.retryWait]?.count == 3 && status.nextAttemptAt == Self.at(2_000))
        }
    }
}
