import TaxLinkCore

/// A batch ready to store: its bytes and signature are final.
public struct SealedBatch: Sendable, Hashable {
    /// The batch id (stable across resends).
    public var id: String
    /// The exact bytes sent.
    public var body: [UInt8]
    /// The lower-case hex SHA-256 of ``body``.
    public var bodySHA256: String
    /// The detached JWS over ``body``.
    public var jws: String
    /// When it was sealed.
    public var createdAt: Timestamp
    /// The record revisions it carries.
    public var members: [RecordRevision]
    /// The batch this one was split from, after a 413.
    public var parentID: String?
    /// The certificate chain (PEM, leaf first) the batch was signed with, kept so the batch can be
    /// checked after the signing key is replaced.
    public var signingChain: String?

    /// Every field, as named.
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
    /// The record id (`platform:kind:external_id`).
    public var recordID: String
    /// The revision of the record.
    public var revision: Int

    /// Every field, as named.
    public init(recordID: String, revision: Int) {
        self.recordID = recordID
        self.revision = revision
    }
}

/// A stored batch.
public struct OutboxBatch: Sendable, Hashable {
    /// The batch id (stable across resends).
    public var id: String
    /// Where it is in its life.
    public var state: BatchState
    /// The exact bytes sent.
    public var body: [UInt8]
    /// The lower-case hex SHA-256 of ``body``.
    public var bodySHA256: String
    /// The detached JWS over ``body``.
    public var jws: String
    /// How many records it carries.
    public var recordCount: Int
    /// When it was sealed.
    public var createdAt: Timestamp
    /// How many sends or polls were made.
    public var attempts: Int
    /// When it is due again, if it is waiting.
    public var nextAttemptAt: Timestamp?
    /// When it was first sent.
    public var firstAttemptAt: Timestamp?
    /// The last thing that went wrong, or `nil`.
    public var lastError: String?
    /// The verified receipt's bytes, once delivered.
    public var receipt: [UInt8]?
    /// The receipt's `JWS-Signature`, once delivered.
    public var receiptJWS: String?
    /// When it was delivered.
    public var deliveredAt: Timestamp?
    /// The batch this one was split from, after a 413.
    public var parentID: String?
    /// The certificate chain (PEM, leaf first) kept at sealing; `nil` for batches sealed before it was kept.
    public var signingChain: String?
    /// The attempts made before the batch was last requeued; the retry budget counts from there.
    public var attemptsBeforeRequeue: Int
    /// When the batch was last requeued (or retried out of `dead`); its age budget counts from there.
    public var requeuedAt: Timestamp?

    /// Every field, as named.
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
    /// When the attempt was made.
    public var at: Timestamp
    /// The HTTP status, or `nil` when no answer came.
    public var status: Int?
    /// What went wrong, or `nil`.
    public var error: String?
    /// The wait chosen before the next attempt, in seconds.
    public var nextWait: Double?

    /// Every field, as named.
    public init(at: Timestamp, status: Int?, error: String?, nextWait: Double?) {
        self.at = at
        self.status = status
        self.error = error
        self.nextWait = nextWait
    }
}
