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

/// A batch ready to store: its bytes and signature are final.
public struct SealedBatch: Sendable, Hashable {
    public var id: String
    public var body: [UInt8]
    public var bodySHA256: String
    public var jws: String
    public var createdAt: Timestamp
    public var members: [RecordRevision]
    /// The batch this one was split from, after a 413.
    public var parentID: String?
    /// The certificate chain (PEM, leaf first) the batch was signed with, kept so the batch can be
    /// checked after the signing key is replaced.
    public var signingChain: String?

    public init(
        id: String,
        body: [UInt8],
        bodySHA256: String,
        jws: String,
        createdAt: Timestamp,
        members: [RecordRevision],
        parentID: String? = nil,
        signingChain: String? = nil
    ) {
        self.id = id
        self.body = body
        self.bodySHA256 = bodySHA256
        self.jws = jws
        self.createdAt = createdAt
        self.members = members
        self.parentID = parentID
        self.signingChain = signingChain
    }
}

/// A `(record_id, revision)`.
public struct RecordRevision: Sendable, Hashable {
    public var recordID: String
    public var revision: Int

    public init(recordID: String, revision: Int) {
        self.recordID = recordID
        self.revision = revision
    }
}

/// A stored batch.
public struct OutboxBatch: Sendable, Hashable {
    public var id: String
    public var state: BatchState
    public var body: [UInt8]
    public var bodySHA256: String
    public var jws: String
    public var recordCount: Int
    public var createdAt: Timestamp
    public var attempts: Int
    public var nextAttemptAt: Timestamp?
    public var firstAttemptAt: Timestamp?
    public var lastError: String?
    public var receipt: [UInt8]?
    public var receiptJWS: String?
    public var deliveredAt: Timestamp?
    public var parentID: String?
    /// The certificate chain (PEM, leaf first) kept at sealing; `nil` for batches sealed before it was kept.
    public var signingChain: String?
    /// The attempts made before the batch was last requeued; the retry budget counts from there.
    public var attemptsBeforeRequeue: Int
    /// When the batch was last requeued (or retried out of `dead`); its age budget counts from there.
    public var requeuedAt: Timestamp?

    public init(
        id: String,
        state: BatchState,
        body: [UInt8],
        bodySHA256: String,
        jws: String,
        recordCount: Int,
        createdAt: Timestamp,
        attempts: Int,
        nextAttemptAt: Timestamp?,
        firstAttemptAt: Timestamp?,
        lastError: String?,
        receipt: [UInt8]?,
        receiptJWS: String?,
        deliveredAt: Timestamp?,
        parentID: String?,
        signingChain: String? = nil,
        attemptsBeforeRequeue: Int = 0,
        requeuedAt: Timestamp? = nil
    ) {
        self.signingChain = signingChain
        self.attemptsBeforeRequeue = attemptsBeforeRequeue
        self.requeuedAt = requeuedAt
        self.id = id
        self.state = state
        self.body = body
        self.bodySHA256 = bodySHA256
        self.jws = jws
        self.recordCount = recordCount
        self.createdAt = createdAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.firstAttemptAt = firstAttemptAt
        self.lastError = lastError
        self.receipt = receipt
        self.receiptJWS = receiptJWS
        self.deliveredAt = deliveredAt
        self.parentID = parentID
    }
}

/// One try at sending (or polling) a batch.
public struct BatchAttempt: Sendable, Hashable {
    public var at: Timestamp
    /// The HTTP status, or `nil` when no answer came.
    public var status: Int?
    /// What went wrong, or `nil`.
    public var error: String?
    /// The wait chosen before the next attempt, in seconds.
    public var nextWait: Double?

    public init(at: Timestamp, status: Int?, error: String?, nextWait: Double?) {
        self.at = at
        self.status = status
        self.error = error
        self.nextWait = nextWait
    }
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
    public var batchID: String
    public var recordID: String
    public var revision: Int?
    public var code: String
    public var message: String

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
        public var count: Int
        public var records: Int
        /// Age of the oldest batch in this state, in seconds.
        public var oldestAgeSeconds: Int64?

        public init(count: Int, records: Int, oldestAgeSeconds: Int64?) {
            self.count = count
            self.records = records
            self.oldestAgeSeconds = oldestAgeSeconds
        }
    }

    public var states: [BatchState: StateFigures]
    /// Ready records not sealed yet.
    public var unsealedRecords: Int
    public var lastError: String?
    public var nextAttemptAt: Timestamp?

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
    public let message: String

    /// A record of the batch is already in another batch.
    public static let alreadySealed = OutboxStorageError(
        code: .alreadySealed,
        message: "a record of the batch was sealed into another batch first"
    )

    public var description: String { message }
}
