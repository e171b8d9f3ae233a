import Foundation
import GRDB
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import Testing

@Suite("Tampering")
struct TamperingTests {
    @Test func receiptsFromAnUntrustedMinistryAreNotAccepted() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        let other = try DevelopmentPKI.generate(taxCode: "0100233488")
        try await fixture.withMinistry { port in
            try await fixture.withUploader(port: port, ministryTrust: [other.caCertificate], { $0.maxAttempts = 2 }) {
                runtime async throws in
                _ = try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(20))
            }
        }
        #expect(try await fixture.count(.delivered) == 0)
        let batch = try #require(try await fixture.store.batches(state: nil, limit: 1).first)
        #expect(batch.receipt == nil)
        #expect(batch.lastError?.contains("receipt") == true)
        // Every refused receipt is kept with the reason, and the evidence export carries it.
        let kept = try await fixture.store.receipts(batchID: batch.id)
        #expect(kept.count == 2)
        #expect(kept.allSatisfy { $0.verdict.problem?.contains("signature") == true })
        let out = fixture.folder.appendingPathComponent("evidence")
        try Evidence.write(batch, receipts: kept, to: out)
        let index = try JSONParser.parse(Array(try Data(contentsOf: out.appendingPathComponent("receipts.json"))))
        #expect(index.arrayValue?.count == 2)
        #expect(index.arrayValue?.first?["verdict"]?.stringValue == "refused")
        let first = try #require(kept.first)
        #expect(
            try Data(contentsOf: out.appendingPathComponent("receipt-\(first.id).json")) == Data(first.receipt.body)
        )
    }

    static func receipt(for batch: OutboxBatch, sha: String, accepted: Int, signer: SigningIdentity) throws -> (
        [UInt8], String
    ) {
        let body = Array(
            #"{"receipt_id":"R-1","batch_id":"\#(batch.id)","received_at":"2026-02-10T02:00:00Z","body_sha256":"\#(sha)","accepted":\#(accepted),"rejected":[]}"#
                .utf8
        )
        return (body, try DetachedJWS.sign(payload: body, identity: signer))
    }

    @Test func wrongDigestOrCountsOrSignatureAreRefused() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(1)
        let sealer = try Sealer(
            storage: fixture.store,
            identity: fixture.pki.senderIdentity,
            configuration: OutboxConfiguration(ministryURL: "http://127.0.0.1:1"),
            logger: OutboxFixture.logger
        )
        try await sealer.sealAvailable()
        let batch = try #require(try await fixture.store.batches(state: nil, limit: 1).first)
        let verifier = ReceiptVerifier(trustAnchors: [fixture.pki.caCertificate])
        let good = try Self.receipt(
            for: batch,
            sha: batch.bodySHA256,
            accepted: 1,
            signer: fixture.pki.ministryIdentity
        )
        _ = try await verifier.verify(receipt: good.0, jws: good.1, for: batch)
        let wrongDigest = try Self.receipt(
            for: batch,
            sha: String(repeating: "0", count: 64),
            accepted: 1,
            signer: fixture.pki.ministryIdentity
        )
        await #expect(throws: ReceiptError.self) {
            try await verifier.verify(receipt: wrongDigest.0, jws: wrongDigest.1, for: batch)
        }
        let wrongCount = try Self.receipt(
            for: batch,
            sha: batch.bodySHA256,
            accepted: 2,
            signer: fixture.pki.ministryIdentity
        )
        await #expect(throws: ReceiptError.self) {
            try await verifier.verify(receipt: wrongCount.0, jws: wrongCount.1, for: batch)
        }
        // Signed by the sender, whose certificate chains to the same CA but is not the ministry's: the pin is the CA here,
        // so use a foreign PKI to show an untrusted signer is refused.
        let foreign = try DevelopmentPKI.generate(taxCode: "0100233488")
        let untrusted = try Self.receipt(
            for: batch,
            sha: batch.bodySHA256,
            accepted: 1,
            signer: foreign.ministryIdentity
        )
        await #expect(throws: ReceiptError.self) {
            try await verifier.verify(receipt: untrusted.0, jws: untrusted.1, for: batch)
        }
        var altered = good.0
        altered[altered.count - 3] = UInt8(ascii: " ")
        await #expect(throws: ReceiptError.self) {
            try await verifier.verify(receipt: altered, jws: good.1, for: batch)
        }
    }

    @Test func aBatchBodyAlteredInTheDatabaseIsReported() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(2)
        try await fixture.withMinistry { port in
            try await fixture.withUploader(port: port) { runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(30)))
                #expect(try await runtime.audit.run().findings.isEmpty)
            }
        }
        let queue = try DatabaseQueue(path: fixture.folder.appendingPathComponent("taxlink.sqlite").path)
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE batches SET body = CAST(REPLACE(CAST(body AS TEXT), '100000', '100001') AS BLOB)"
            )
        }
        let audit = OutboxAudit(storage: fixture.store)
        let report = try await audit.run()
        #expect(report.findings.contains { $0.problem.contains("SHA-256") })
        #expect(report.findings.contains { $0.problem.contains("signature") })
    }
}
