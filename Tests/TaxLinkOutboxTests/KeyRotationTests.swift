import Foundation
import MinistryMock
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import Testing

/// `outbox verify` and `outbox evidence` need no private key and survive a key rotation: each batch
/// is checked against the chain it was sealed with, each receipt against the trust it was verified with.
@Suite("Key rotation")
struct KeyRotationTests {
    @Test func olderBatchesStillVerifyAfterKeysInitForce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        let keys = fixture.folder.appendingPathComponent("keys")
        try fixture.pki.write(to: keys)
        try await fixture.ingest(1, prefix: "A")
        try await fixture.uploadUntilEmpty()
        let first = try #require(try await fixture.store.batches(state: .delivered, limit: 1).first)

        // `keys init --force`: a new CA, signing key and ministry certificate replace the old files.
        let rotated = try DevelopmentPKI.generate(taxCode: "0100233488")
        #expect(throws: KeyMaterialError.self) { try rotated.write(to: keys) }
        try rotated.write(to: keys, replace: true)
        let identity = try SigningIdentity.load(
            keyPEM: try String(contentsOf: keys.appendingPathComponent("sender-key.pem"), encoding: .utf8),
            chainPEM: try String(contentsOf: keys.appendingPathComponent("sender-chain.pem"), encoding: .utf8)
        )
        try await fixture.ingest(1, prefix: "B")
        try await fixture.withMinistry({
            $0.trustAnchors = [rotated.caCertificate]
            $0.identity = rotated.ministryIdentity
        }) { port in
            try await fixture.withUploader(port: port, ministryTrust: [rotated.caCertificate], identity: identity) {
                runtime async throws in
                #expect(try await runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(30)))
            }
        }
        #expect(try await fixture.count(.delivered) == 2)

        // No key at all, and only the new CA given: both batches and both receipts check out.
        let report = try await OutboxAudit(storage: fixture.store, ministryTrust: [rotated.caCertificate]).run()
        #expect(report.batchesChecked == 2)
        #expect(report.receiptsChecked == 2)
        #expect(report.findings.isEmpty, "\(report.findings)")

        let out = fixture.folder.appendingPathComponent("evidence")
        try Evidence.write(first, receipts: try await fixture.store.receipts(batchID: first.id), to: out)
        let chain = try String(contentsOf: out.appendingPathComponent("sender-chain.pem"), encoding: .utf8)
        #expect(try CertificatePEM.certificates(in: chain) == fixture.pki.senderIdentity.chain)
        let trust = try String(contentsOf: out.appendingPathComponent("ministry-trust.pem"), encoding: .utf8)
        #expect(try CertificatePEM.certificates(in: trust).contains(fixture.pki.caCertificate))
        let receipt = try Data(contentsOf: out.appendingPathComponent("receipt.json"))
        _ = try await ReceiptVerifier(trustAnchors: [fixture.pki.caCertificate]).verify(
            receipt: Array(receipt),
            jws: first.receiptJWS,
            for: first
        )
    }
}
