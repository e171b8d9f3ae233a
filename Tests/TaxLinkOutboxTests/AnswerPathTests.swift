import Foundation
import MinistryMock
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import Testing

/// Every answer of the intake's table, against the mock ministry on loopback.
@Suite("Uploader answer paths")
struct AnswerPathTests {
    @Test func deliversEverythingWithVerifiedReceipts() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(12)
        try await fixture.withMinistry { port in
            try await fixture.withUploader(port: port) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(60)))
                let audit = try await runtime.audit.run()
                #expect(audit.findings.isEmpty)
                #expect(audit.receiptsChecked == 3)
            }
            let stats = try await OutboxFixture.stats(port: port)
            #expect(stats.integer("records_accepted") == 12)
            #expect(stats.integer("duplicates") == 0)
        }
        #expect(try await fixture.count(.delivered) == 3)
    }

    @Test func pollsAfter202() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(3)
        try await fixture.withMinistry({ $0.asyncMode = true }) { port in
            try await fixture.withUploader(port: port) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(60)))
            }
        }
        let batch = try #require(try await fixture.store.batches(state: .delivered, limit: 10).first)
        let statuses = try await fixture.store.attempts(batchID: batch.id).map(\.status)
        #expect(statuses.first == 202)
        #expect(statuses.last == 200)
    }

    @Test func splitsOn413() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(5)
        try await fixture.withMinistry({ $0.maxRecords = 2 }) { port in
            try await fixture.withUploader(port: port) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(60)))
            }
            let stats = try await OutboxFixture.stats(port: port)
            #expect(stats.integer("records_accepted") == 5)
            #expect(stats.integer("duplicates") == 0)
        }
        #expect(try await fixture.count(.split) >= 1)
        let delivered = try await fixture.store.batches(state: .delivered, limit: 100)
        #expect(delivered.reduce(0) { $0 + $1.recordCount } == 5)
        #expect(delivered.allSatisfy { $0.recordCount <= 2 && $0.parentID != nil })
    }

    /// On the virtual clock: no retry before `Retry-After`, and the retry once it has passed.
    @Test(arguments: [false, true])
    func neverRetriesBeforeRetryAfter(asHTTPDate: Bool) async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        let clock = fixture.clock
        try await fixture.withMinistry({
            $0.faults = try FaultPlan(spec: "429=1")
            $0.faults.retryAfterSeconds = 3
            $0.faults.retryAfterAsHTTPDate = asHTTPDate
            $0.clock = { clock.now() }
        }) { port in
            try await fixture.withUploader(port: port) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: clock.deadline(1.5)) == false)
            }
        }
        let batch = try #require(try await fixture.store.batches(state: nil, limit: 1).first)
        let attempts = try await fixture.store.attempts(batchID: batch.id)
        #expect(attempts.count == 1, "retried within 1.5 s despite Retry-After: 3")
        #expect(attempts[0].status == 429)
        #expect(batch.state == .retryWait)
        // The HTTP-date has whole seconds, so the wait can be up to a second shorter than 3 s, never less than 2.
        #expect(try #require(batch.nextAttemptAt).seconds - attempts[0].at.seconds >= (asHTTPDate ? 2 : 3))
        try await fixture.withMinistry({ $0.clock = { clock.now() } }) { port in
            try await fixture.withUploader(port: port) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: clock.deadline(10)))
            }
        }
        let after = try await fixture.store.attempts(batchID: batch.id)
        #expect(after.map(\.status) == [429, 201])
        #expect(after[1].at.seconds - after[0].at.seconds >= (asHTTPDate ? 2 : 3))
    }

    @Test func untrustedSenderIsDeadWithTheProblem() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        let stranger = try DevelopmentPKI.generate(taxCode: "0100233488")
        try await fixture.withMinistry { port in
            try await fixture.withUploader(port: port, identity: stranger.senderIdentity) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(30)))
            }
        }
        let dead = try await fixture.store.batches(state: .dead, limit: 1)
        #expect(dead.count == 1)
        #expect(dead.first?.lastError?.contains("401") == true)
    }

    @Test func retriesTransientFailuresThenGivesUp() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        try await fixture.uploadUntilEmpty(faults: "503=1", maxAttempts: 3)
        let batch = try #require(try await fixture.store.batches(state: .dead, limit: 1).first)
        #expect(batch.attempts == 3)
        #expect(batch.lastError?.contains("gave up after 3 attempts") == true)
        #expect(try await fixture.store.requeueDead(limit: 10, now: .now) == [batch.id])
        #expect(try await fixture.count(.retryWait) == 1)
    }
}
