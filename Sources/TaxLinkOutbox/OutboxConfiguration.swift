import Foundation

/// How batches are sealed and delivered. Filled from `--flags` and `TAXLINK_*` variables at the edge.
public struct OutboxConfiguration: Sendable {
    /// The ministry's base URL (`…/v1/batches` is appended).
    public var ministryURL: String
    /// Records per batch, 1 to 5,000 (the intake's limit); ``Sealer`` refuses any other value.
    public var batchSize = 1_000
    /// The largest batch body sealed, in bytes (the intake takes 8 MiB).
    public var maximumBodyBytes = 8 * 1024 * 1024 - 64 * 1024
    /// Attempts before a batch goes to `dead`.
    public var maxAttempts = 12
    /// Age (from the first attempt) after which a batch goes to `dead` instead of being retried.
    public var maxAge: TimeInterval = 24 * 3600
    /// The retry waits.
    public var backoff = Backoff()
    /// Consecutive failures that open the circuit breaker, and how long it stays open.
    public var breakerThreshold = 5
    /// How long the breaker stays open, in seconds.
    public var breakerCooldown: TimeInterval = 30
    /// Batches sent at once.
    public var concurrency = 2
    /// The deadline of opening a connection to the ministry, in seconds.
    public var connectTimeout: TimeInterval = 5
    /// The deadline of one request, from sending to the last byte of the answer.
    public var requestTimeout: TimeInterval = 30
    /// How long a process holds a batch it is sending before another may take it over.
    public var leaseSeconds: Int64 = 120
    /// The wait between polls of a batch the ministry is processing (202).
    public var pollInterval: TimeInterval = 1
    /// The wait when there is nothing to do.
    public var idleInterval: TimeInterval = 0.5
    /// The clock of sealing, attempts, retry waits and the breaker (tests use a virtual one).
    public var clock: OutboxClock = .system

    /// The intake's limit on records per batch.
    public static let maximumBatchRecords = 5_000

    /// The defaults, sending to the intake at `ministryURL`.
    public init(ministryURL: String) {
        self.ministryURL = ministryURL
    }

    /// Exponential backoff with full jitter: a wait drawn uniformly from 0 to
    /// `min(cap, base × 2^(attempt − 1))`, never shorter than the ministry's `Retry-After`.
    public struct Backoff: Sendable {
        /// The first wait's upper bound, in seconds.
        public var base: TimeInterval = 0.5
        /// The longest wait, in seconds.
        public var cap: TimeInterval = 300

        /// Backoff from `base` doubling up to `cap` seconds.
        public init(base: TimeInterval = 0.5, cap: TimeInterval = 300) {
            self.base = base
            self.cap = cap
        }

        /// The wait before attempt `attempt + 1`, floored by `retryAfter`.
        public func delay(
            afterAttempt attempt: Int,
            retryAfter: TimeInterval?,
            random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
        ) -> TimeInterval {
            let exponent = min(max(attempt - 1, 0), 40)
            let ceiling = min(cap, base * pow(2, Double(exponent)))
            let jittered = random(0...ceiling)
            return max(jittered, retryAfter ?? 0)
        }
    }
}
