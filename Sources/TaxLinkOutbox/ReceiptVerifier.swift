import Foundation
import TaxLinkCore
import TaxLinkSigning
import TaxLinkStore
import X509

/// Checks a ministry receipt before anything trusts it: the JWS over the exact receipt bytes
/// chains to the pinned ministry certificate (or its CA), and the receipt names this batch, the
/// digest of the bytes sent, and counts that add up.
public struct ReceiptVerifier: Sendable {
    let trustAnchors: [Certificate]
    /// The trust anchors as PEM, stored with every receipt so its check can be repeated later.
    public let trustPEM: String?

    /// A verifier that trusts receipts signed under `trustAnchors`.
    public init(trustAnchors: [Certificate]) {
        self.trustAnchors = trustAnchors
        self.trustPEM = try? CertificatePEM.pem(trustAnchors)
    }

    /// A receipt that passed every check.
    public struct VerifiedReceipt: Sendable, Hashable {
        /// The ministry's id of the receipt.
        public var receiptID: String
        /// How many records the ministry accepted.
        public var accepted: Int
        /// The records the ministry rejected, with its codes.
        public var rejections: [MinistryRejection]
    }

    /// Verifies `receipt` (with its `JWS-Signature`) for `batch`.
    public func verify(receipt: [UInt8], jws: String?, for batch: OutboxBatch, at time: Date = Date()) async throws
        -> VerifiedReceipt
    {
        guard let jws, !jws.isEmpty else { throw ReceiptError("the receipt carries no JWS-Signature") }
        do {
            _ = try await DetachedJWS.verify(jws, payload: receipt, trustAnchors: trustAnchors, at: time)
        } catch {
            throw ReceiptError("the receipt's signature does not verify: \(error)")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(receipt)
        } catch {
            throw ReceiptError("the receipt is not JSON: \(error)")
        }
        guard let receiptID = document["receipt_id"]?.stringValue else {
            throw ReceiptError("the receipt has no receipt_id")
        }
        guard document["batch_id"]?.stringValue == batch.id else {
            throw ReceiptError(
                "the receipt names batch \(document["batch_id"]?.stringValue ?? "none"), not \(batch.id)"
            )
        }
        guard document["body_sha256"]?.stringValue?.lowercased() == batch.bodySHA256 else {
            throw ReceiptError("the receipt's body_sha256 differs from the digest of the bytes sent")
        }
        guard case .number(let acceptedText) = document["accepted"], let accepted = Int(acceptedText), accepted >= 0,
            let rejectedValues = document["rejected"]?.arrayValue
        else { throw ReceiptError("the receipt's accepted or rejected field is malformed") }
        guard accepted + rejectedValues.count == batch.recordCount else {
            throw ReceiptError(
                "the receipt counts \(accepted) accepted and \(rejectedValues.count) rejected for \(batch.recordCount) records"
            )
        }
        let revisions = Self.revisions(in: batch.body)
        let rejections = try rejectedValues.map { value in
            guard let recordID = value["record_id"]?.stringValue, let code = value["code"]?.stringValue else {
                throw ReceiptError("a rejection in the receipt lacks record_id or code")
            }
            return MinistryRejection(
                batchID: batch.id,
                recordID: recordID,
                revision: revisions[recordID],
                code: code,
                message: value["message"]?.stringValue ?? ""
            )
        }
        return VerifiedReceipt(receiptID: receiptID, accepted: accepted, rejections: rejections)
    }

    /// The revision of each record in a batch body.
    static func revisions(in body: [UInt8]) -> [String: Int] {
        guard let records = (try? JSONParser.parse(body))?["records"]?.arrayValue else { return [:] }
        var revisions: [String: Int] = [:]
        for record in records {
            if let id = record["record_id"]?.stringValue, case .number(let text) = record["revision"],
                let revision = Int(text)
            {
                revisions[id] = revision
            }
        }
        return revisions
    }
}

/// A receipt that must not be trusted.
public struct ReceiptError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed in the check, and which receipt.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    /// The ``message``.
    public var description: String { message }
}
