import Foundation
import Logging
import ServiceLifecycle
import TaxLinkCore
import TaxLinkStore

/// Re-runs reconciliation in the background: shortly after new feeds (debounced, so a burst of pushes
/// gives one run), at start, and periodically (settlements become missing as time passes).
///
/// Wire ``feedStored()`` to the ingest routes' callback and run the service in the application's
/// `ServiceGroup`; it stops at graceful shutdown.
public final class ReconcilerService: Service, Sendable {
    /// How the service behaves.
    public struct Configuration: Sendable {
        /// How long to wait after a feed for more before reconciling.
        public var debounce: Duration = .seconds(2)
        /// How often to reconcile without new feeds (`nil`: never).
        public var interval: Duration? = .seconds(3_600)
        /// Whether to reconcile once when the service starts.
        public var runAtStart = true
        /// How long to wait before trying again after a run failed (the database was busy or unreadable).
        /// A record that cannot be reconciled does not fail a run: it becomes a `RECONCILE_ERROR` finding.
        public var retryDelay: Duration = .seconds(60)
        /// The reconciler's own settings.
        public var reconciler = Reconciler.Configuration()

        /// The defaults: a run at start, on new data and on the interval.
        public init() {}
    }

    private let reconciler: Reconciler
    private let configuration: Configuration
    private let logger: Logger
    private let clock: @Sendable () -> Timestamp
    private let triggers: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let pending = PendingFlag()

    /// A service over `storage`; `clock` gives the `as_of` of each run (default: now).
    public init(
        storage: any FindingsStorage,
        configuration: Configuration = Configuration(),
        logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { .now }
    ) {
        reconciler = Reconciler(storage: storage, configuration: configuration.reconciler)
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        (triggers, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a reconciliation soon; cheap and safe to call from any request.
    public func feedStored() {
        pending.set()
        continuation.yield()
    }

    /// Runs until graceful shutdown or cancellation (both a normal end); failed runs are logged and retried, never thrown.
    public func run() async throws {
        do {
            try await loop()
        } catch is CancellationError {
            // Graceful shutdown (or cancellation) while waiting: a normal end.
        }
    }

    private func loop() async throws {
        try await cancelWhenGracefulShutdown { [self] in
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let interval = configuration.interval {
                    group.addTask { [self] in
                        while !Task.isCancelled {
                            try await Task.sleep(for: interval)
                            feedStored()
                        }
                    }
                }
                group.addTask { [self] in
                    if configuration.runAtStart { try await runUntilDone(reason: "start") }
                    for await _ in triggers {
                        try await Task.sleep(for: configuration.debounce)
                        // Triggers that came during the wait are served by this run.
                        guard pending.take() else { continue }
                        try await runUntilDone(reason: "new data")
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Runs until a run succeeds, waiting ``Configuration/retryDelay`` after each failure; only
    /// cancellation (shutdown) ends it early. Triggers that come meanwhile are served by the retry.
    private func runUntilDone(reason: String) async throws {
        while !(await runOnce(reason: reason)) {
            try await Task.sleep(for: configuration.retryDelay)
            _ = pending.take()
        }
    }

    /// One reconciliation; `false` when it failed (logged, never thrown: the service keeps running).
    /// When another process is reconciling, this turn is skipped (logged, a success: that run serves
    /// the same data, and the next trigger or interval tries again).
    private func runOnce(reason: String) async -> Bool {
        let started = ContinuousClock.now
        do {
            let summary: ReconciliationSummary
            switch try await reconciler.reconcileExclusively(asOf: clock()) {
            case .ran(let ran): summary = ran
            case .held(let holder):
                logger.info(
                    "reconciliation skipped: another process is reconciling",
                    metadata: ["reason": "\(reason)", "holder": "\(holder)"])
                return true
            }
            logger.info(
                "reconciled",
                metadata: [
                    "reason": "\(reason)", "findings": "\(summary.total)", "opened": "\(summary.sync.opened)",
                    "superseded": "\(summary.sync.superseded)", "duration": "\(ContinuousClock.now - started)",
                ]
            )
            if let unreconciled = summary.counts[.reconcileError], unreconciled > 0 {
                logger.warning(
                    "some stored data could not be reconciled; see the RECONCILE_ERROR findings",
                    metadata: ["count": "\(unreconciled)"]
                )
            }
            return true
        } catch  where Task.isCancelled {
            // Shutdown interrupted the run: not a failure; the loop ends at its next wait.
            logger.debug("reconciliation stopped by shutdown", metadata: ["reason": "\(reason)"])
            return false
        } catch {
            logger.error(
                "reconciliation failed; retrying",
                metadata: ["error": "\(error)", "retry_in": "\(configuration.retryDelay)"]
            )
            return false
        }
    }
}

/// Whether new data has arrived since the last run started.
private final class PendingFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    /// The flag, cleared.
    func take() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let was = value
        value = false
        return was
    }
}
