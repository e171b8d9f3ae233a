import TaxLinkCore
import TaxLinkStore
import Testing

/// Many processes on one PostgreSQL: two stores with pools of their own (as two processes have)
/// claim and seal at the same moment.
@Suite struct OutboxConcurrencyTests {
    typealias Samples = OutboxSamples

    /// How many batches the claim race shares out, and how many rounds the sealer race runs.
    static let batchCount = 60
    static let sealerRounds = 25

    @Test func twoProcessesClaimingAtTheSameMomentNeverGetTheSameBatch() async throws {
        try await StoreFixture.withTwoPostgresStores { first, second in
            let ids = (0..<Self.batchCount).map { "s\($0)" }
            try await Samples.store(ids.map { Samples.sale($0) }, at: 100, in: first)
            for (index, id) in ids.enumerated() {
                try await first.insertBatch(Samples.batch("b\(id)", Samples.members(id), at: 1_000 + Int64(index)))
            }
            let now = Timestamp(unixSeconds: 5_000)
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for (owner, store) in [("p1", first), ("p2", second), ("p3", first), ("p4", second)] {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let claimed = try await store.claimDueBatches(
                                owner: owner,
                                now: now,
                                leaseSeconds: 300,
                                limit: 3
                            )
                            guard !claimed.isEmpty else { return mine }
                            #expect(claimed.allSatisfy { $0.state == .sending })
                            mine += claimed.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == Self.batchCount)
            #expect(Set(all) == Set(ids.map { "b\($0)" }))
            let status = try await second.outboxStatus(now: now)
            #expect(status.states[.sending]?.count == Self.batchCount)
        }
    }

    @Test func sealersRacingOnTheSameRecordsSealEachRecordOnce() async throws {
        try await StoreFixture.withTwoPostgresStores { first, second in
            for round in 0..<Self.sealerRounds {
                let ids = (0..<4).map { "r\(round)-\($0)" }
                try await Samples.store(ids.map { Samples.sale($0) }, at: 100 + Int64(round), in: first)
                // The same records in opposite orders: sorted inside, so neither waits on the other in a cycle.
                let members = ids.map { RecordRevision(recordID: Samples.recordID($0), revision: 1) }
                let forward = Samples.batch("f\(round)", members, at: 2_000)
                let backward = Samples.batch("k\(round)", members.reversed(), at: 2_000)
                let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for (store, batch) in [(first, forward), (second, backward)] {
                        group.addTask {
                            do {
                                try await store.insertBatch(batch)
                                return true
                            } catch let error as OutboxStorageError where error == .alreadySealed {
                                return false
                            }
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 1 && outcomes.count == 2, "round \(round)")
                let stored = [try await first.batch(id: "f\(round)"), try await second.batch(id: "k\(round)")]
                #expect(stored.compactMap { $0?.recordCount } == [4], "round \(round)")
            }
            #expect(try await second.unsealedRecords(limit: 1_000).isEmpty)
            #expect(try await second.batches(state: nil, limit: 1_000).count == Self.sealerRounds)
        }
    }

    @Test func aWorkerThatDiesLeavesItsBatchToAnotherProcessWithTheSameBytes() async throws {
        try await StoreFixture.withTwoPostgresStores { first, second in
            try await Samples.store([Samples.sale("A")], at: 100, in: first)
            let sealed = Samples.batch("b1", Samples.members("A"), at: 1_000)
            try await first.insertBatch(sealed)
            let dying = try await first.claimDueBatches(
                owner: "dying",
                now: Timestamp(unixSeconds: 1_000),
                leaseSeconds: 60,
                limit: 5
            )
            #expect(dying.map(\.id) == ["b1"])
            #expect(
                try await second.claimDueBatches(
                    owner: "heir",
                    now: Timestamp(unixSeconds: 1_060),
                    leaseSeconds: 60,
                    limit: 5
                ).isEmpty
            )
            let inherited = try await second.claimDueBatches(
                owner: "heir",
                now: Timestamp(unixSeconds: 1_061),
                leaseSeconds: 60,
                limit: 5
            )
            #expect(inherited.map(\.body) == [sealed.body] && inherited.map(\.jws) == [sealed.jws])
            let attempt = BatchAttempt(at: Timestamp(unixSeconds: 1_062), status: 201, error: nil, nextWait: nil)
            let delivered = BatchTransition.delivered(
                receipt: [1, 2],
                receiptJWS: "sig",
                rejections: [],
                at: Timestamp(unixSeconds: 1_062)
            )
            async let late = first.finishAttempt(batchID: "b1", owner: "dying", attempt: attempt, transition: delivered)
            async let heir = second.finishAttempt(batchID: "b1", owner: "heir", attempt: attempt, transition: delivered)
            #expect(try await [late, heir] == [false, true])
            #expect(try await first.attempts(batchID: "b1").count == 1)
            #expect(try await first.batch(id: "b1")?.state == .delivered)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBatchBeingPolledIsNotPolledByAnotherProcessUntilItsLeaseRunsOut(kind: StoreKind) async throws {
        try await StoreFixture.withTwoStores(kind) { first, second in
            try await Samples.store([Samples.sale("A")], at: 100, in: first)
            try await first.insertBatch(Samples.batch("b1", Samples.members("A"), at: 1_000))
            _ = try await first.claimDueBatches(
                owner: "w1",
                now: Timestamp(unixSeconds: 1_000),
                leaseSeconds: 60,
                limit: 5
            )
            try await first.finishAttempt(
                batchID: "b1",
                owner: "w1",
                attempt: BatchAttempt(at: Timestamp(unixSeconds: 1_001), status: 202, error: nil, nextWait: 5),
                transition: .processing(pollAt: Timestamp(unixSeconds: 1_006))
            )
            let polling = try await first.claimDueBatches(
                owner: "w1",
                now: Timestamp(unixSeconds: 1_006),
                leaseSeconds: 60,
                limit: 5
            )
            #expect(polling.map(\.state) == [.processing])
            #expect(
                try await second.claimDueBatches(
                    owner: "w2",
                    now: Timestamp(unixSeconds: 1_066),
                    leaseSeconds: 60,
                    limit: 5
                ).isEmpty
            )
            let inherited = try await second.claimDueBatches(
                owner: "w2",
                now: Timestamp(unixSeconds: 1_067),
                leaseSeconds: 60,
                limit: 5
            )
            #expect(inherited.map(\.id) == ["b1"] && inherited.map(\.state) == [.processing])
        }
    }
}
