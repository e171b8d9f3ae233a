import TaxLinkCore
import Testing

@testable import TaxLinkStore

/// `taxlink db copy`: an embedded deployment moved to PostgreSQL keeps every revision, batch, attempt,
/// receipt and finding history, and the uploader carries on where it stopped.
@Suite struct StoreCopyTests {
    typealias Samples = OutboxSamples

    static func at(_ seconds: Int64) -> Timestamp { Timestamp(unixSeconds: seconds) }

    static func attempt(_ at: Int64, _ status: Int?, _ error: String?) -> BatchAttempt {
        BatchAttempt(at: Self.at(at), status: status, error: error, nextWait: error == nil ? nil : 7.5)
    }

    /// An embedded deployment mid-run, reached through the protocols: A revised (two revisions, the
    /// second unsealed), G quarantined; batch b1 (B, C) delivered with a verified receipt and a
    /// ministry rejection, b2 (D) dead after two attempts, b3 (E) waiting to retry, b4 (F) sealed; a
    /// finding detected, then acknowledged (two history rows).
    static func fill(_ store: SQLiteStore) async throws {
        try await Samples.store(
            ["A", "B", "C", "D", "E", "F"].map { Samples.sale($0) } + [Samples.sale("G", quarantined: true)],
            at: 100,
            in: store
        )
        try await Samples.store([Samples.sale("A", amount: 120_000)], at: 200, in: store)
        try await store.insertBatch(Samples.batch("b1", Samples.members("B", "C"), at: 1_000))
        try await store.insertBatch(Samples.batch("b2", Samples.members("D"), at: 1_001))
        try await store.insertBatch(Samples.batch("b3", Samples.members("E"), at: 1_002))
        let claimed = try await store.claimDueBatches(owner: "w", now: at(1_010), leaseSeconds: 60, limit: 3)
        #expect(claimed.map(\.id) == ["b1", "b2", "b3"])
        let rejection = MinistryRejection(
            batchID: "b1",
            recordID: Samples.recordID("C"),
            revision: 1,
            code: "R12",
            message: "thiếu mã số thuế"
        )
        let receiptBody: [UInt8] = Array(#"{"batch_id":"b1"}"#.utf8) + [0x00, 0xFF]
        let receiptID = try await store.storeReceipt(
            ReceivedReceipt(
                batchID: "b1",
                receivedAt: at(1_011),
                status: 201,
                body: receiptBody,
                jws: "receipt-sig",
                ministryTrust: "-----BEGIN CERTIFICATE-----\nministry\n-----END CERTIFICATE-----\n"
            )
        )
        try await store.recordReceiptVerdict(id: receiptID, problem: nil)
        let finishes: [(String, BatchAttempt, BatchTransition)] = [
            (
                "b1", attempt(1_011, 201, nil),
                .delivered(receipt: receiptBody, receiptJWS: "receipt-sig", rejections: [rejection], at: at(1_011))
            ),
            ("b2", attempt(1_012, 503, "busy"), .retry(at: at(1_013), error: "busy")),
            ("b3", attempt(1_012, 429, "slow down"), .retry(at: at(2_000), error: "slow down")),
        ]
        for (batchID, attempt, transition) in finishes {
            #expect(
                try await store.finishAttempt(batchID: batchID, owner: "w", attempt: attempt, transition: transition)
            )
        }
        #expect(
            try await store.claimDueBatches(owner: "w", now: at(1_020), leaseSeconds: 60, limit: 1).map(\.id) == ["b2"]
        )
        #expect(
            try await store.finishAttempt(
                batchID: "b2",
                owner: "w",
                attempt: attempt(1_021, 400, "malformed"),
                transition: .dead(reason: "malformed")
            )
        )
        try await store.insertBatch(Samples.batch("b4", Samples.members("F"), at: 1_030))
        try await store.applyFindingWrites(FindingSamples.detectedThenAcknowledged())
    }

    @Test func copiesEveryTableAndTheUploaderCarriesOn() async throws {
        try await StoreFixture.withSQLiteURL { _, path in
            let sqlite = try SQLiteStore(path: path)
            try await Self.fill(sqlite)
            try await StoreFixture.withPostgresDatabase { endpoint in
                let postgres = PostgresStore(configuration: .init(endpoint: endpoint), logger: StoreFixture.logger)
                try await postgres.withRunning {
                    let report = try await StoreCopy.copy(from: sqlite, to: postgres, chunkRows: 2)
                    #expect(report.tables.map(\.table) == StoreCopy.tables)
                    #expect(report.tables.allSatisfy { $0.source == $0.target })
                    let counts = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.table, $0.target) })
                    #expect(counts["feeds"] == 2 && counts["records"] == 8 && counts["batches"] == 4)
                    #expect(counts["batch_records"] == 5 && counts["batch_attempts"] == 4)
                    #expect(counts["batch_receipts"] == 1 && counts["ministry_rejections"] == 1)
                    #expect(counts["findings"] == 1 && counts["finding_history"] == 2)
                    try await Self.expectSameView(sqlite, postgres)
                    try await Self.expectCarriesOn(sqlite, postgres)
                }
            }
        }
    }

    /// What the feed path, the uploader and the reconciler read is the same on both stores.
    static func expectSameView(_ sqlite: SQLiteStore, _ postgres: PostgresStore) async throws {
        let stores: [any Storage & OutboxStorage & FindingsStorage] = [sqlite, postgres]
        var records: [[StoredRecord]] = [[], []]
        for (index, store) in stores.enumerated() {
            try await store.forEachRecord(RecordQuery(allRevisions: true)) { records[index].append($0) }
        }
        #expect(records[0].count == 8 && records[0] == records[1])
        #expect(try await sqlite.feeds(limit: 10, offset: 0) == (try await postgres.feeds(limit: 10, offset: 0)))
        let batches = try await stores.asyncMap { try await $0.batches(state: nil, limit: 10) }
        #expect(batches[0].map(\.state) == [.delivered, .dead, .retryWait, .sealed])
        #expect(batches[0] == batches[1])
        for batch in batches[0] {
            #expect(try await sqlite.attempts(batchID: batch.id) == (try await postgres.attempts(batchID: batch.id)))
            #expect(try await sqlite.receipts(batchID: batch.id) == (try await postgres.receipts(batchID: batch.id)))
        }
        #expect(try await sqlite.ministryRejections() == (try await postgres.ministryRejections()))
        #expect(try await sqlite.outboxStatus(now: at(1_500)) == (try await postgres.outboxStatus(now: at(1_500))))
        let findings = try await stores.asyncMap {
            try await $0.findingRows(FindingFilter(), order: .amountAtRisk, limit: nil, offset: 0)
        }
        #expect(findings[0].rows.count == 1 && findings[0] == findings[1])
        let ids = findings[0].rows.map(\.content.id)
        let history = try await stores.asyncMap { try await $0.findingHistoryRows(ids: ids) }
        #expect(history[0].values.map(\.count) == [2] && history[0] == history[1])
    }

    /// The copy goes on as SQLite would have: the same batches are due, the same records wait to be
    /// sealed, and new feeds, batches and receipts get ids the source never gave.
    static func expectCarriesOn(_ sqlite: SQLiteStore, _ postgres: PostgresStore) async throws {
        let stores: [any Storage & OutboxStorage] = [sqlite, postgres]
        let unsealed = try await stores.asyncMap { try await $0.unsealedRecords(limit: 10) }
        #expect(unsealed[0].map(\.recordID) == [Samples.recordID("A")] && unsealed[0] == unsealed[1])
        let due = try await stores.asyncMap {
            try await $0.claimDueBatches(owner: "w2", now: at(2_000), leaseSeconds: 60, limit: 10)
        }
        #expect(Set(due[0].map(\.id)) == ["b3", "b4"] && due[0] == due[1])
        for store in stores {
            try await Samples.store([Samples.sale("H")], at: 300, in: store)
            try await store.insertBatch(
                Samples.batch("b5", [RecordRevision(recordID: Samples.recordID("A"), revision: 2)], at: 3_000)
            )
        }
        #expect(try await sqlite.feeds(limit: 10, offset: 0) == (try await postgres.feeds(limit: 10, offset: 0)))
        #expect(
            try await sqlite.batches(state: .sealed, limit: 10)
                == (try await postgres.batches(state: .sealed, limit: 10))
        )
        let receipt = ReceivedReceipt(
            batchID: "b3",
            receivedAt: at(2_001),
            status: 202,
            body: [1],
            jws: nil,
            ministryTrust: nil
        )
        #expect(try await sqlite.storeReceipt(receipt) == (try await postgres.storeReceipt(receipt)))
    }

    @Test func refusesATargetThatHoldsData() async throws {
        try await StoreFixture.withSQLiteURL { _, path in
            let sqlite = try SQLiteStore(path: path)
            try await Samples.store([Samples.sale("A")], at: 100, in: sqlite)
            try await StoreFixture.withPostgresDatabase { endpoint in
                let postgres = PostgresStore(configuration: .init(endpoint: endpoint), logger: StoreFixture.logger)
                try await postgres.withRunning {
                    try await Samples.store([Samples.sale("Z")], at: 50, in: postgres)
                    let error = await #expect(throws: StoreCopyError.self) {
                        try await StoreCopy.copy(from: sqlite, to: postgres)
                    }
                    #expect(error?.isTargetNotEmpty == true)
                    #expect(error?.message.contains("feeds, records, orders_seen") == true)
                    var ids: [String] = []
                    try await postgres.forEachRecord(RecordQuery(allRevisions: true)) { ids.append($0.recordID) }
                    #expect(ids == [Samples.recordID("Z")])
                }
            }
        }
    }
}

extension Array {
    /// Each element's `transform`, in order, one after another.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
