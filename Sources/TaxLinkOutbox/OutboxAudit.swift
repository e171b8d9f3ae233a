import Foundation
import TaxLinkCore
import TaxLinkSigning
import TaxLinkStore
import X509

/// Re-checks what the outbox stored: every batch body against its digest and signature, every
/// receipt against the ministry's certificate. Finds bytes altered in the database.
public struct OutboxAudit: Sendable {
    let storage: any OutboxStorage
    let senderTrust: [Certificate]
    let receiptVerifier: ReceiptVerifier

    /// `senderTrust` is the CA (or certificate) the batches' signatures must chain to; `ministryTrust`
    /// the pinned ministry certificate or its CA.
    public init(storage: any OutboxStorage, senderTrust: [Certificate], ministryTrust: [Certificate]) {
        self.storage = storage
        self.senderTrust = senderTrust
        self.receiptVerifier = ReceiptVerifier(trustAnchors: ministryTrust)
    }

    /// One problem found.
    public struct Finding: Sendable, Hashable {
        public var batchID: String
        public var problem: String
    }

    /// The result of an audit.
    public struct Report: Sendable, Hashable {
        public var batchesChecked = 0
        public var receiptsChecked = 0
        public var findings: [Finding] = []
    }

    /// Checks every stored batch (split batches included: their bytes must still match).
    public func run() async throws -> Report {
        var report = Report()
        for batch in try await storage.batches(state: nil, limit: Int.max) {
            report.batchesChecked += 1
            if ContentDigest.sha256Hex(batch.body) != batch.bodySHA256 {
                report.findings.append(Finding(batchID: batch.id, problem: "body does not match its stored SHA-256"))
            }
            do {
                _ = try await DetachedJWS.verify(
                    batch.jws, payload: batch.body, trustAnchors: senderTrust, at: batch.createdAt.date)
            } catch {
                report.findings.append(Finding(batchID: batch.id, problem: "batch signature: \(error)"))
            }
            if let receipt = batch.receipt {
                report.receiptsChecked += 1
                do {
                    _ = try await receiptVerifier.verify(
                        receipt: receipt, jws: batch.receiptJWS, for: batch, at: batch.deliveredAt?.date ?? Date())
                } catch {
                    report.findings.append(Finding(batchID: batch.id, problem: "receipt: \(error)"))
                }
            } else if batch.state == .delivered {
                report.findings.append(Finding(batchID: batch.id, problem: "delivered without a stored receipt"))
            }
        }
        return report
    }
}
