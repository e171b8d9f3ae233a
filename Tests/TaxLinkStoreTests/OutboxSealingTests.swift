import TaxLinkCore
import TaxLinkStore
import Testing

/// Sealing on both stores: which records are ready, and a record in exactly one batch.
@Suite struct OutboxSealingTests {
    typealias Samples = OutboxSamples

    @Test(arguments: StoreKind.allCases)
    func unsealedRecordsAreTheReadyLatestRevisionsOldestFirst(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Samples.store(
                [Samples.sale("B"), Samples.sale("A"), Samples.sale("Q", quarantined: true)],
                at: 100,
                in: store
            )
            try await Samples.store([Samples.sale("C"), Samples.sale("A", amount: 90_000)], at: 200, in: store)
            let unsealed = try await store.unsealedRecords(limit: 10)
            #expect(unsealed.map(\.recordID) == ["B", "A", "C"].map(Samples.recordID))
            #expect(unsealed.map(\.revision) == [1, 2, 1])
            #expect(unsealed.allSatisfy { !$0.quarantined })
            let decoded = try unsealed[1].decode()
            #expect(decoded.amounts.gross == 90_000 && decoded.revision == 2)
            #expect(try await store.unsealedRecords(limit: 2).map(\.recordID) == ["B", "A"].map(Samples.recordID))
            #expect(try await store.outboxStatus(now: Timestamp(unixSeconds: 300)).unsealedRecords == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSealedBatchIsKeptExactlyAndItsRecordsLeaveTheUnsealed(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Samples.store([Samples.sale("A"), Samples.sale("B"), Samples.sale("C")], at: 100, in: store)
            let sealed = Samples.batch("b1", Samples.members("A", "B"), at: 1_000)
            try await store.insertBatch(sealed)
            #expect(try await store.unsealedRecords(limit: 10).map(\.recordID) == [Samples.recordID("C")])
            let batch = try #require(try await store.batch(id: "b1"))
            #expect(batch.state == .sealed)
            #expect(batch.body == sealed.body && batch.bodySHA256 == sealed.bodySHA256 && batch.jws == sealed.jws)
            #expect(batch.recordCount == 2 && batch.createdAt == sealed.createdAt)
            #expect(batch.attempts == 0 && batch.nextAttemptAt == sealed.createdAt && batch.firstAttemptAt == nil)
            #expect(batch.signingChain == sealed.signingChain && batch.parentID == nil)
            #expect(batch.lastError == nil && batch.receipt == nil && batch.deliveredAt == nil)
            #expect(batch.attemptsBeforeRequeue == 0 && batch.requeuedAt == nil)
            #expect(try await store.batch(id: "unknown") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBatchWithARecordSealedBeforeIsRefusedWhole(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Samples.store([Samples.sale("A"), Samples.sale("B"), Samples.sale("C")], at: 100, in: store)
            try await store.insertBatch(Samples.batch("b1", Samples.members("B"), at: 1_000))
            await #expect(throws: OutboxStorageError.alreadySealed) {
                try await store.insertBatch(Samples.batch("b2", Samples.members("A", "B", "C"), at: 1_001))
            }
            #expect(try await store.batch(id: "b2") == nil)
            #expect(try await store.unsealedRecords(limit: 10).map(\.recordID) == ["A", "C"].map(Samples.recordID))
            try await store.insertBatch(Samples.batch("b3", Samples.members("C", "A"), at: 1_002))
            #expect(try await store.batches(state: nil, limit: 10).map(\.id) == ["b1", "b3"])
            #expect(try await store.unsealedRecords(limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNewRevisionOfASealedRecordIsSealedOnItsOwn(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Samples.store([Samples.sale("A")], at: 100, in: store)
            try await store.insertBatch(Samples.batch("b1", Samples.members("A"), at: 1_000))
            try await Samples.store([Samples.sale("A", amount: 1)], at: 200, in: store)
            let revised = try await store.unsealedRecords(limit: 10)
            #expect(revised.map(\.revision) == [2])
            let second = [RecordRevision(recordID: Samples.recordID("A"), revision: 2)]
            try await store.insertBatch(Samples.batch("b2", second, at: 1_001))
            #expect(try await store.unsealedRecords(limit: 10).isEmpty)
            await #expect(throws: OutboxStorageError.alreadySealed) {
                try await store.insertBatch(Samples.batch("b3", second, at: 1_002))
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aSplitBatchHandsItsRecordsToItsParts(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { store in
            try await Samples.store([Samples.sale("A"), Samples.sale("B"), Samples.sale("C")], at: 100, in: store)
            try await store.insertBatch(Samples.batch("big", Samples.members("A", "B", "C"), at: 1_000))
            let claimed = try await store.claimDueBatches(
                owner: "w1",
                now: Timestamp(unixSeconds: 1_000),
                leaseSeconds: 60,
                limit: 5
            )
            #expect(claimed.map(\.id) == ["big"])
            let parts = [
                Samples.batch("part1", Samples.members("A", "B"), at: 1_010, parentID: "big"),
                Samples.batch("part2", Samples.members("C"), at: 1_010, parentID: "big"),
            ]
            let recorded = try await store.finishAttempt(
                batchID: "big",
                owner: "w1",
                attempt: BatchAttempt(
                    at: Timestamp(unixSeconds: 1_010),
                    status: 413,
                    error: "too large",
                    nextWait: nil
                ),
                transition: .split(into: parts)
            )
            #expect(recorded)
            #expect(try await store.batch(id: "big")?.state == .split)
            let sealed = try await store.batches(state: .sealed, limit: 10)
            #expect(sealed.map(\.id) == ["part1", "part2"])
            #expect(sealed.map(\.parentID) == ["big", "big"] && sealed.map(\.recordCount) == [2, 1])
            #expect(try await store.unsealedRecords(limit: 10).isEmpty)
            await #expect(throws: OutboxStorageError.alreadySealed) {
                try await store.insertBatch(Samples.batch("again", Samples.members("C"), at: 1_020))
            }
            let status = try await store.outboxStatus(now: Timestamp(unixSeconds: 1_100))
            #expect(status.states[.split] == OutboxStatus.StateFigures(count: 1, records: 3, oldestAgeSeconds: 90))
            #expect(status.states[.sealed] == OutboxStatus.StateFigures(count: 2, records: 3, oldestAgeSeconds: 90))
        }
    }
}
