import Foundation
import TaxLinkSigning
import X509

/// How the mock ministry runs: where it listens, where it keeps its state, whom it trusts,
/// how it signs, and which faults it injects.
///
/// Filled from flags by the `ministry-mock` executable, or directly by tests and `taxlink demo`.
public struct MinistryConfiguration: Sendable {
    /// The address to listen on.
    public var host: String = "127.0.0.1"
    /// The port to listen on; `0` picks any free port (learn it with `onServerRunning`).
    public var port: Int = 9443
    /// The SQLite file holding batches, accepted records and receipts (WAL mode). It survives restarts.
    public var databasePath: String
    /// The certificates a sender's chain must lead to: a CA, or a pinned sender certificate.
    public var trustAnchors: [Certificate]
    /// The ministry's key and chain, which sign every receipt.
    public var identity: SigningIdentity
    /// When set, new batches are answered `202 Accepted` and become processed later (see ``AsyncProcessing``).
    public var asyncMode: Bool = false
    /// When an asynchronously accepted batch becomes processed.
    public var asyncProcessing = AsyncProcessing()
    /// Which faults are injected, and how often.
    public var faults = FaultPlan()
    /// The seed of the fault generator: the same seed, plan and request sequence give the same faults.
    public var seed: UInt64 = 1
    /// Bodies larger than this get `413` without being read further (8 MiB).
    public var maxBodyBytes: Int = 8 * 1024 * 1024
    /// Batches with more records than this get `413` (5,000).
    public var maxRecords: Int = 5000
    /// The ministry's clock: the receipts' `received_at` and the time certificates are checked at.
    public var clock: @Sendable () -> Date = { Date() }
    /// Called with the bound port once the server listens (useful with ``port`` `0`).
    public var onServerRunning: @Sendable (Int) async -> Void = { _ in }

    /// A configuration with the required parts; everything else has its default.
    public init(databasePath: String, trustAnchors: [Certificate], identity: SigningIdentity) {
        self.databasePath = databasePath
        self.trustAnchors = trustAnchors
        self.identity = identity
    }

    /// When a batch answered `202` becomes processed: after ``pollsBeforeReady`` polls answered
    /// `202`, or once ``delay`` has passed since it was received, whichever comes first.
    /// With both `nil` the first poll answers `200`.
    public struct AsyncProcessing: Sendable {
        /// How many `GET` polls are answered `202` before one answers `200`; `nil`: polls alone never finish it.
        public var pollsBeforeReady: Int? = 1
        /// How long after receipt the batch is processed; `nil`: time alone never finishes it.
        public var delay: Duration? = nil

        /// Processing after `pollsBeforeReady` polls or `delay`, whichever comes first.
        public init(pollsBeforeReady: Int? = 1, delay: Duration? = nil) {
            self.pollsBeforeReady = pollsBeforeReady
            self.delay = delay
        }
    }
}
