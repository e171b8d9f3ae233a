import TaxLinkCore

/// A receipt as the ministry sent it, to be stored before it is checked or trusted.
public struct ReceivedReceipt: Sendable, Hashable {
    /// The batch it answers.
    public var batchID: String
    /// When the connector received it.
    public var receivedAt: Timestamp
    /// The HTTP status it came with (200 or 201).
    public var status: Int
    /// The exact body bytes.
    public var body: [UInt8]
    /// The `JWS-Signature` header, when there was one.
    public var jws: String?
    /// The ministry certificates (PEM) it is checked against, kept so the check can be repeated
    /// after the pinned certificate changes.
    public var ministryTrust: String?

    /// A receipt as received for `batchID` at `receivedAt`, with its check's trust anchors.
    public init(
        batchID: String,
        receivedAt: Timestamp,
        status: Int,
        body: [UInt8],
        jws: String?,
        ministryTrust: String?
    ) {
        self.batchID = batchID
        self.receivedAt = receivedAt
        self.status = status
        self.body = body
        self.jws = jws
        self.ministryTrust = ministryTrust
    }
}

/// A stored receipt and what its check found.
public struct StoredReceipt: Sendable, Hashable {
    /// What the check of a receipt found.
    public enum Verdict: Sendable, Hashable {
        /// Stored, but never checked (the process stopped in between).
        case unchecked
        /// Its signature, batch id, digest and counts verified.
        case verified
        /// It failed a check, for this reason; kept as evidence.
        case refused(String)

        /// `unchecked`, `verified` or `refused`.
        public var name: String {
            switch self {
            case .unchecked: "unchecked"
            case .verified: "verified"
            case .refused: "refused"
            }
        }

        /// Why it was refused, or `nil`.
        public var problem: String? {
            if case .refused(let reason) = self { reason } else { nil }
        }
    }

    /// The store's id of the receipt.
    public var id: Int64
    /// The receipt as received.
    public var receipt: ReceivedReceipt
    /// What its check found.
    public var verdict: Verdict

    /// A receipt the store holds under `id`, with its verdict.
    public init(id: Int64, receipt: ReceivedReceipt, verdict: Verdict) {
        self.id = id
        self.receipt = receipt
        self.verdict = verdict
    }
}
