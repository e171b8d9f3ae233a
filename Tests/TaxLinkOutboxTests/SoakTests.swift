import Foundation
import MinistryMock
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import TestSupport
import Testing

/// Every record delivered exactly once through a faulty ministry, and through uploader crashes.
@Suite("Soak and crash safety", .serialized)
struct SoakTests {
    @Test func faultyMinistryStillGetsEveryRecordExactlyOnce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(150)
        try await fixture.withMinistry({
            $0.faults = try FaultPlan(spec: "503=0.2,429=0.1,drop-before=0.05,drop-after=0.05,slow=0.05")
            $0.faults.slowDelay = .milliseconds(300)
            $0.faults.retryAfterSeconds = 1
            $0.seed = 42
        }) { port in
            try await fixture.withUploader(
                port: port,
                {
                    $0.concurrency = 4
                    $0.maxAttempts = 50
                    $0.breakerThreshold = 50
                }
            ) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(240)))
            }
            let stats = try await OutboxFixture.stats(port: port)
            #expect(stats.integer("records_accepted") == 150)
            #expect(stats.integer("duplicates") == 0)
            #expect(stats.integer("conflicts") == 0)
            #expect((stats["faults"].map { if case .object(let o) = $0 { o.members.count } else { 0 } } ?? 0) > 0)
        }
        #expect(try await fixture.count(.delivered) == 30)
        #expect(try await fixture.count(.dead) == 0)
    }

    /// Runs the real binary (found beside this test bundle or built); never skipped.
    @Test func uploadKilledRepeatedlyDeliversEverythingOnce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(200)
        let keys = fixture.folder.appendingPathComponent("keys")
        try fixture.pki.write(to: keys)
        try await fixture.withMinistry({
            $0.faults = try FaultPlan(spec: "slow=0.3,drop-after=0.1")
            $0.faults.slowDelay = .milliseconds(200)
        }) { port in
            // Each run is killed right after its uploader logged an attempt (the answer is in, the
            // attempt possibly not yet recorded): an event, not a timer, picks the moment.
            for round in 0..<6 {
                let upload = try await RunningTaxLink(
                    [
                        "upload", "--until-empty", "--max-seconds", "120", "--batch-size", "10", "--lease-seconds", "1",
                        "--database", "sqlite:" + fixture.folder.appendingPathComponent("taxlink.sqlite").path,
                        "--ministry-url", "http://127.0.0.1:\(port)",
                        "--signing-key", keys.appendingPathComponent("sender-key.pem").path,
                        "--signing-chain", keys.appendingPathComponent("sender-chain.pem").path,
                        "--ministry-trust", keys.appendingPathComponent("ca.pem").path,
                    ],
                    environment: ["LOG_LEVEL": "info"]
                )
                if round < 5 {
                    _ = await upload.standardError(containing: "batch attempt", count: 1 + round)
                    upload.send(SIGKILL)
                }
                let result = await upload.finished()
                if round == 5 { #expect(result.status == 0, "\(result.standardError.suffix(2000))") }
            }
            let stats = try await OutboxFixture.stats(port: port)
            #expect(stats.integer("records_accepted") == 200)
            #expect(stats.integer("duplicates") == 0)
            #expect(stats.integer("conflicts") == 0)
        }
        let status = try await fixture.store.outboxStatus(now: .now)
        #expect(status.states[.delivered]?.records == 200)
        #expect(status.unsealedRecords == 0)
    }
}
