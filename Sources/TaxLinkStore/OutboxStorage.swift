import TaxLinkCore

/// The outbox: sealed batches, their attempts, leases and receipts.
///
/// A `(record_id, revision)` belongs to exactly one live batch (a unique key enforces it); a batch's
/// body, digest and signature never change after sealing.
public protocol OutboxStorage: Sendable {
    /// Ready records (latest revision, not quarantined) not sealed into any batch yet, oldest first.
    func unsealedRecords(limit: Int) async throws -> [StoredRecord]

    /// Stores a sealed batch and marks its records sealed, atomically. Fails with
    /// ``OutboxStorageError/alreadySealed`` when another sealer took one of the records first.
    func insertBatch(_ batch: SealedBatch) async throws

    /// Leases up to `limit` batches that are due (sealed, waiting to retry, waiting to poll, or left
    /// in `sending` by a process whose lease expired) and marks them `sending` for `owner`.
    func claimDueBatches(owner: String, now: Timestamp, leaseSeconds: Int64, limit: Int) async throws -> [OutboxBatch]

    /// Records one attempt and moves the batch on, if `owner` still holds its lease; returns
    /// whether it did (`false`: another process took the batch over).
    @discardableResult
    func finishAttempt(
        batchID: String,
        owner: String,
        attempt: BatchAttempt,
        transition: BatchTransition
    ) async throws -> Bool

    /// The batches in `state` (all when `nil`), oldest first.
    func batches(state: BatchState?, limit: Int) async throws -> [OutboxBatch]

    /// One batch, or `nil`.
    func batch(id: String) async throws -> OutboxBatch?

    /// Every attempt of a batch, oldest first.
    func attempts(batchID: String) async throws -> [BatchAttempt]

    /// Counts and oldest age per state.
    func outboxStatus(now: Timestamp) async throws -> OutboxStatus

    /// Makes a batch due now (a `sealed`, `retry_wait` or `dead` one); `false` when it is in another state.
    /// The attempt history is kept; a dead batch gets a fresh retry budget counted from `now`.
    func retryNow(batchID: String, now: Timestamp) async throws -> Bool

    /// Moves up to `limit` dead batches back to be sent, keeping their attempt history (attempt
    /// numbers go on after the last one); their retry budget counts from `now`. Returns their ids.
    func requeueDead(limit: Int, now: Timestamp) async throws -> [String]

    /// Stores a receipt exactly as the ministry sent it, in its own transaction, before anything
    /// else is done with it. Returns its id, for ``recordReceiptVerdict(id:problem:)``.
    func storeReceipt(_ receipt: ReceivedReceipt) async throws -> Int64

    /// Records the outcome of checking a stored receipt: `problem` is `nil` when it verified.
    func recordReceiptVerdict(id: Int64, problem: String?) async throws

    /// Every receipt received for a batch (verified, refused or never checked), oldest first.
    func receipts(batchID: String) async throws -> [StoredReceipt]

    /// Ministry rejections of records, from verified receipts.
    func ministryRejections() async throws -> [MinistryRejection]
}

/// The states of a batch.
public enum BatchState: String, Sendable, Hashable, CaseIterable {
    case sealed
    case sending
    case retryWait = "retry_wait"
    case processing
    case delivered
    case dead
    /// Refused as too large (413) and replaced by smaller batches.
    case split
}

/// Where a batch goes after an attempt.
public enum BatchTransition: Sendable, Hashable {
    /// A verified receipt: delivered. Rejected records are kept for the analysts.
    case delivered(receipt: [UInt8], receiptJWS: String, rejections: [MinistryRejection], at: Timestamp)
    /// Send again at the given time.
    case retry(at: Timestamp, error: String)
    /// Accepted for asynchronous processing: poll at the given time.
    case processing(pollAt: Timestamp)
    /// Not retryable: kept with the reason.
    case dead(reason: String)
    /// Too large: replaced by these smaller batches, which take over its records.
    case split(into: [SealedBatch])
}

/// A record the ministry's receipt rejected.
public struct MinistryRejection: Sendable, Hashable {
    /// The batch whose receipt rejected it.
    public var batchID: String
    /// The record id (`platform:kind:external_id`).
    public var recordID: String
    /// The rejected revision, when the receipt named it.
    public var revision: Int?
    /// The ministry's rejection code.
    public var code: String
    /// The ministry's explanation.
    public var message: String

    /// Every field, as named.
    public init(batchID: String, recordID: String, revision: Int?, code: String, message: String) {
        self.batchID = batchID
        self.recordID = recordID
        self.revision = revision
        self.code = code
        self.message = message
    }
}

/// Counts and oldest age per state.
public struct OutboxStatus: Sendable, Hashable {
    /// One state's figures.
    public struct StateFigures: Sendable, Hashable {
        /// How many batches are in the state.
        public var count: Int
        /// How many records those batches carry.
        public var records: Int
        /// Age of the oldest batch in this state, in seconds.
        public var oldestAgeSeconds: Int64?

        /// Every field, as named.
        public init(count: Int, records: Int, oldestAgeSeconds: Int64?) {
            self.count = count
            self.records = records
            self.oldestAgeSeconds = oldestAgeSeconds
        }
    }

    /// The figures of every state that has batches.
    public var states: [BatchState: StateFigures]
    /// Ready records not sealed yet.
    public var unsealedRecords: Int
    /// The most recent error of a batch still to deliver, or `nil`.
    public var lastError: String?
    /// When the next waiting batch is due, or `nil`.
    public var nextAttemptAt: Timestamp?

    /// Every field, as named.
    public init(
        states: [BatchState: StateFigures],
        unsealedRecords: Int,
        lastError: String?,
        nextAttemptAt: Timestamp?
    ) {
        self.states = states
        self.unsealedRecords = unsealedRecords
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
    }
}

/// Why an outbox write was refused.
public struct OutboxStorageError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case alreadySealed
    }

    private let code: Code
    /// What was refused and why.
    public let message: String

    /// A record of the batch is already in another batch.
    public static let alreadySealed = OutboxStorageError(
        code: .alreadySealed,
        message: "a record of the batch was sealed into another batch first"
    )

    /// The ``message``.
    public var description: String { message }
}
