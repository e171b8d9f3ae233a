import Foundation
import TaxLinkCore
import TaxLinkSigning
import TaxLinkStore
import X509

/// Re-checks what the outbox stored: every batch body against its digest and against the signature
/// made with the certificate chain kept when it was sealed, every verified receipt against the
/// ministry certificates it was checked with (and any given now). Needs no private key, and a key
/// rotation does not break the check of older batches. Finds bytes altered in the database.
public struct OutboxAudit: Sendable {
    let storage: any OutboxStorage
    let senderTrust: [Certificate]
    let ministryTrust: [Certificate]

    /// - Parameters:
    ///   - senderTrust: extra certificates a batch's signature may chain to; only needed for batches
    ///     sealed before their chain was kept.
    ///   - ministryTrust: ministry certificates (or its CA) trusted besides those kept with each receipt.
    public init(storage: any OutboxStorage, senderTrust: [Certificate] = [], ministryTrust: [Certificate] = []) {
        self.storage = storage
        self.senderTrust = senderTrust
        self.ministryTrust = ministryTrust
    }

    /// One problem found.
    public struct Finding: Sendable, Hashable {
        /// The batch the problem is about.
        public var batchID: String
        /// What is wrong, in words an operator can act on.
        public var problem: String
    }

    /// The result of an audit.
    public struct Report: Sendable, Hashable {
        /// How many batches were checked.
        public var batchesChecked = 0
        /// How many stored receipts were checked again.
        public var receiptsChecked = 0
        /// The problems found; empty when everything checked out.
        public var findings: [Finding] = []
    }

    /// Checks every stored batch (split batches included: their bytes must still match).
    public func run() async throws -> Report {
        var report = Report()
        for batch in try await storage.batches(state: nil, limit: Int.max) {
            report.batchesChecked += 1
            for problem in await problems(of: batch) {
                report.findings.append(Finding(batchID: batch.id, problem: problem))
            }
            if let receipt = batch.receipt {
                report.receiptsChecked += 1
                if let problem = try await receiptProblem(batch, receipt: receipt) {
                    report.findings.append(Finding(batchID: batch.id, problem: "receipt: \(problem)"))
                }
            } else if batch.state == .delivered {
                report.findings.append(Finding(batchID: batch.id, problem: "delivered without a stored receipt"))
            }
        }
        return report
    }

    /// The body against its digest, the signature against the chain the batch was sealed with.
    private func problems(of batch: OutboxBatch) async -> [String] {
        var problems: [String] = []
        if ContentDigest.sha256Hex(batch.body) != batch.bodySHA256 {
            problems.append("body does not match its stored SHA-256")
        }
        let kept: [Certificate]
        do {
            kept = try batch.signingChain.map { try CertificatePEM.certificates(in: $0) } ?? []
        } catch {
            return problems + ["the signing chain kept with the batch cannot be read: \(error)"]
        }
        guard !kept.isEmpty || !senderTrust.isEmpty else {
            return problems + [
                "no signing chain was kept for this batch (sealed before chains were kept); give --sender-trust"
            ]
        }
        do {
            let leaf = try await DetachedJWS.verify(
                batch.jws,
                payload: batch.body,
                trustAnchors: kept + senderTrust,
                at: batch.createdAt.date
            )
            if let keptLeaf = kept.first, keptLeaf != leaf {
                problems.append("batch signature: signed by \(leaf.subject), not by the certificate kept at sealing")
            }
        } catch {
            problems.append("batch signature: \(error)")
        }
        return problems
    }

    /// The delivered receipt, against the trust it was verified with and the trust given.
    private func receiptProblem(_ batch: OutboxBatch, receipt: [UInt8]) async throws -> String? {
        let stored = try await storage.receipts(batchID: batch.id).last { $0.receipt.body == receipt }
        var anchors = ministryTrust
        if let pem = stored?.receipt.ministryTrust {
            do {
                anchors += try CertificatePEM.certificates(in: pem)
            } catch {
                return "the ministry certificates kept with the receipt cannot be read: \(error)"
            }
        }
        guard !anchors.isEmpty else { return "no ministry certificate to check it against; give --ministry-trust" }
        do {
            _ = try await ReceiptVerifier(trustAnchors: anchors).verify(
                receipt: receipt,
                jws: batch.receiptJWS,
                for: batch,
                at: batch.deliveredAt?.date ?? batch.createdAt.date
            )
            return nil
        } catch {
            return "\(error)"
        }
    }
}
