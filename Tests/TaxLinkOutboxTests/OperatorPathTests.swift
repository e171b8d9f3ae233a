import Foundation
import GRDB
import InMemoryLogging
import Logging
import MetricsTestKit
import MinistryMock
import ServiceLifecycle
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import Testing

/// The operator's recovery paths: a batch the ministry refused (401) goes dead; after the trust is
/// fixed, `outbox requeue --dead` or `outbox retry` sends it again, keeping its attempt history.
@Suite("Operator paths")
struct OperatorPathTests {
    enum Recovery: String, CaseIterable, Sendable {
        case requeueDead, retryBatch
    }

    @Test(arguments: Recovery.allCases)
    func deadAfter401IsDeliveredAfterTheTrustIsFixed(recovery: Recovery) async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        let stranger = try DevelopmentPKI.generate(taxCode: "0100233488")
        let metrics = TestMetrics()
        try await fixture.withMinistry { port in
            try await fixture.withUploader(port: port, identity: stranger.senderIdentity, metrics: metrics) {
                runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(30)))
                #expect(await runtime.uploader.outcomes.dead.count == 1)
            }
        }
        let dead = try #require(try await fixture.store.batches(state: .dead, limit: 1).first)
        #expect(metrics.counterTotal(label: "taxlink_outbox_dead_total") == 1)
        #expect(try metrics.expectCounter("taxlink_outbox_dead_total", [("reason", "http_401")]).totalValue == 1)

        // The operator has the ministry trust the sender's CA, then sends the batch again.
        switch recovery {
        case .requeueDead:
            #expect(try await fixture.store.requeueDead(limit: 10, now: Timestamp(fixture.clock.now())) == [dead.id])
        case .retryBatch:
            #expect(try await fixture.store.retryNow(batchID: dead.id, now: Timestamp(fixture.clock.now())))
        }
        try await fixture.withMinistry({ $0.trustAnchors.append(stranger.caCertificate) }) { port in
            try await fixture.withUploader(port: port) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(30)))
            }
        }
        let delivered = try #require(try await fixture.store.batch(id: dead.id))
        #expect(delivered.state == .delivered)
        #expect(delivered.attempts == 2)
        #expect(delivered.receipt != nil)
        #expect(try await fixture.store.attempts(batchID: dead.id).map(\.status) == [401, 201])
        let receipts = try await fixture.store.receipts(batchID: dead.id)
        #expect(receipts.map(\.verdict) == [.verified])
        #expect(try await OutboxAudit(storage: fixture.store).run().findings.isEmpty)
    }

    @Test func aRequeuedBatchGetsAFreshRetryBudgetAndKeepsItsNumbers() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        try await fixture.uploadUntilEmpty(faults: "503=1", maxAttempts: 2)
        let batch = try #require(try await fixture.store.batches(state: .dead, limit: 1).first)
        #expect(batch.attempts == 2)
        _ = try await fixture.store.requeueDead(limit: 1, now: Timestamp(fixture.clock.now()))
        try await fixture.uploadUntilEmpty(faults: "503=1", maxAttempts: 2)
        let again = try #require(try await fixture.store.batch(id: batch.id))
        #expect(again.state == .dead)
        #expect(again.attempts == 4)
        #expect(try await fixture.store.attempts(batchID: batch.id).map(\.status) == [503, 503, 503, 503])
    }

    /// A database whose attempt counter an older `requeue --dead` reset to 0 (its history kept)
    /// delivers its batch: the next attempt number follows the history, not the counter.
    @Test func aCounterResetByAnOlderRequeueNoLongerCollides() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        try await fixture.uploadUntilEmpty(faults: "503=1", maxAttempts: 2)
        let database = try DatabaseQueue(path: fixture.folder.appendingPathComponent("taxlink.sqlite").path)
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE batches SET state = 'retry_wait', attempts = 0, first_attempt_at = NULL, next_attempt_at = 0
                    WHERE state = 'dead'
                    """
            )
        }
        try await fixture.uploadUntilEmpty()
        let batch = try #require(try await fixture.store.batches(state: .delivered, limit: 1).first)
        #expect(try await fixture.store.attempts(batchID: batch.id).map(\.status) == [503, 503, 201])
        #expect(batch.attempts == 3)
    }

    /// The receipt of a 201 is stored in its own transaction first: when recording the attempt
    /// fails, the receipt is still there, the batch does not stay `sending` once its lease runs
    /// out, and the next try is answered 200 with the same receipt.
    @Test func aReceiptIsNeverLostAndTheBatchNeverStaysSending() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        let database = try DatabaseQueue(path: fixture.folder.appendingPathComponent("taxlink.sqlite").path)
        try await database.write { db in
            try db.execute(
                sql:
                    "CREATE TRIGGER refuse_attempts BEFORE INSERT ON batch_attempts BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
            )
        }
        try await fixture.withMinistry { port in
            try await fixture.withUploader(port: port, { $0.leaseSeconds = 5 }) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(2)) == false)
            }
            let batch = try #require(try await fixture.store.batches(state: nil, limit: 1).first)
            #expect(batch.state == .sending)
            let kept = try await fixture.store.receipts(batchID: batch.id)
            #expect(kept.first?.receipt.status == 201)
            try await database.write { db in try db.execute(sql: "DROP TRIGGER refuse_attempts") }
            try await fixture.withUploader(port: port, { $0.leaseSeconds = 5 }) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(30)))
            }
            let delivered = try #require(try await fixture.store.batch(id: batch.id))
            #expect(delivered.state == .delivered)
            #expect(try await fixture.store.attempts(batchID: batch.id).map(\.status) == [200])
            #expect(
                try await fixture.store.receipts(batchID: batch.id).map(\.receipt.body).allSatisfy {
                    $0 == delivered.receipt
                }
            )
            let stats = try await OutboxFixture.stats(port: port)
            #expect(stats.integer("records_accepted") == 1)
        }
    }

    @Test func aConflictIsAWarningACounterAndDead() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        let metrics = TestMetrics()
        let logs = InMemoryLogHandler()
        let logger = Logger(label: "outbox-test", factory: { _ in logs })
        let other = try SQLiteStore(path: fixture.folder.appendingPathComponent("other.sqlite").path)
        let batchID = try await fixture.withMinistry { port in
            try await fixture.withUploader(port: port) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(30)))
            }
            // The same batch id with other bytes (a space before the last brace), validly signed.
            let original = try #require(try await fixture.store.batches(state: .delivered, limit: 1).first)
            var body = original.body
            body.insert(UInt8(ascii: " "), at: body.count - 1)
            try await other.insertBatch(
                SealedBatch(
                    id: original.id,
                    body: body,
                    bodySHA256: ContentDigest.sha256Hex(body),
                    jws: try DetachedJWS.sign(payload: body, identity: fixture.pki.senderIdentity),
                    createdAt: original.createdAt,
                    members: []
                )
            )
            try await fixture.withUploader(port: port, storage: other, metrics: metrics, logger: logger) {
                runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(30)))
                #expect(await runtime.uploader.outcomes.conflicts == 1)
            }
            return original.id
        }
        #expect(metrics.counterTotal(label: "taxlink_outbox_conflicts_total") == 1)
        let warnings = logs.entries.filter { $0.level == .warning }
        #expect(warnings.count == 2, "one for the conflict, one for the dead batch")
        #expect(warnings.allSatisfy { $0.metadata["batch_id"] == .string(batchID) })
        #expect(warnings.contains { "\($0.metadata["reason"] ?? "")".contains("409") })
        #expect(try metrics.expectCounter("taxlink_outbox_dead_total", [("reason", "http_409")]).totalValue == 1)
        #expect(try await other.batches(state: .dead, limit: 1).first?.lastError?.contains("409") == true)
    }

    /// `serve` stops its services with a graceful shutdown: the uploader (idle, waiting for work)
    /// must end normally, not with `CancellationError`.
    @Test func theUploaderEndsNormallyOnGracefulShutdown() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        try await fixture.withMinistry { port in
            try await fixture.withUploader(port: port, { $0.clock = .system }) { runtime async throws in
                let group = ServiceGroup(
                    configuration: .init(services: [runtime.uploader], logger: OutboxFixture.logger)
                )
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    while try await fixture.count(.delivered) == 0 { await Task.yield() }
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
            }
        }
    }
}
