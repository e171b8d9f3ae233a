import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TaxLinkCore
import TaxLinkStore

/// Delivers sealed batches to the ministry: every answer of the intake's table, retries with
/// backoff and jitter, leases so two processes never send the same batch at once, and only a
/// verified receipt marks a batch delivered. Every receipt is stored before anything else is done
/// with it; one that fails verification is kept as evidence.
public struct Uploader: Service {
    let storage: any OutboxStorage
    let sealer: Sealer
    let client: MinistryClient
    let verifier: ReceiptVerifier
    let configuration: OutboxConfiguration
    let breaker: CircuitBreaker
    let logger: Logger
    let metrics: OutboxMetrics
    /// This process's name on the leases it takes.
    let owner: String
    /// Time spent waiting on the ministry, for benchmarks.
    public let timings = UploadTimings()
    /// Dead batches, conflicts and refused receipts seen by this uploader.
    public let outcomes = UploadOutcomes()

    var clock: OutboxClock { configuration.clock }

    /// An uploader; `metricsFactory` makes its counters (the global factory unless a test gives one).
    public init(
        storage: any OutboxStorage,
        sealer: Sealer,
        client: MinistryClient,
        verifier: ReceiptVerifier,
        configuration: OutboxConfiguration,
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.storage = storage
        self.sealer = sealer
        self.client = client
        self.verifier = verifier
        self.configuration = configuration
        self.breaker = CircuitBreaker(
            threshold: configuration.breakerThreshold,
            cooldown: configuration.breakerCooldown
        )
        self.logger = logger
        self.metrics = OutboxMetrics(factory: metricsFactory)
        self.owner =
            "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    /// Seals and sends until the service group shuts down. A graceful shutdown lets the batches in
    /// flight finish (their receipts are stored), then returns normally. A failing round (the
    /// database busy or unreachable) is logged and retried; it never stops the service. Sealing
    /// runs ahead of sending, in a task of its own (``SealingAhead``).
    public func run() async throws {
        try await withSealingAhead { ahead in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                var busy = false
                do {
                    busy = try await tick(ahead)
                } catch  where Task.isCancelled || Task.isShuttingDownGracefully {
                    break
                } catch {
                    logger.error("upload round failed; retrying", metadata: ["error": "\(error)"])
                }
                if !busy {
                    do {
                        try await pause(seconds: configuration.idleInterval)
                    } catch {
                        break
                    }
                }
            }
        }
        logger.info("uploader stopped")
    }

    /// Seals and sends until nothing is left to send (everything delivered or dead), or the deadline passes.
    /// Returns whether the outbox is empty.
    public func runUntilEmpty(deadline: Date? = nil) async throws -> Bool {
        try await withSealingAhead { ahead in
            while !Task.isCancelled {
                if let deadline, clock.now() >= deadline { return false }
                let busy = try await tick(ahead)
                let status = try await storage.outboxStatus(now: Timestamp(clock.now()))
                let open: [BatchState] = [.sealed, .sending, .retryWait, .processing]
                if status.unsealedRecords == 0, open.allSatisfy({ (status.states[$0]?.count ?? 0) == 0 }) {
                    return true
                }
                if !busy { try await pause(seconds: configuration.idleInterval) }
            }
            return false
        }
    }

    /// Runs `send` with this uploader's sealer sealing beside it; sealing stops when `send` ends.
    private func withSealingAhead<T: Sendable>(_ send: (SealingAhead) async throws -> T) async throws -> T {
        let ahead = SealingAhead(sealer: sealer)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await ahead.run() }
            do {
                let value = try await send(ahead)
                ahead.finish()
                try await group.waitForAll()
                return value
            } catch {
                ahead.finish()
                group.cancelAll()
                throw error
            }
        }
    }

    /// Waits on the outbox clock; a graceful shutdown ends the wait early (by throwing).
    private func pause(seconds: TimeInterval) async throws {
        let clock = self.clock
        try await cancelWhenGracefulShutdown { try await clock.sleep(.seconds(interval: seconds)) }
    }

    /// One round: asks for sealing (which runs beside the sending), then sends the batches that
    /// are due. When none is due but sealing is under way, waits for its next batch first. Fails
    /// when sealing failed since the last round. Returns whether it sent anything.
    func tick(_ ahead: SealingAhead) async throws -> Bool {
        try ahead.rethrowFailure()
        ahead.request()
        if let wait = await breaker.waitBeforeSending(now: clock.now()) {
            logger.warning("circuit breaker open: sending paused", metadata: ["seconds": "\(Int(wait.rounded(.up)))"])
            try await pause(seconds: min(wait, 5))
            return true
        }
        var due = try await claimDue()
        if due.isEmpty {
            await ahead.waitForSealing()
            try ahead.rethrowFailure()
            due = try await claimDue()
        }
        guard !due.isEmpty else { return false }
        await withTaskGroup(of: Void.self) { group in
            for batch in due {
                group.addTask { await self.deliver(batch) }
            }
        }
        return true
    }

    private func claimDue() async throws -> [OutboxBatch] {
        try await storage.claimDueBatches(
            owner: owner,
            now: Timestamp(clock.now()),
            leaseSeconds: configuration.leaseSeconds,
            limit: configuration.concurrency
        )
    }

    private func deliver(_ batch: OutboxBatch) async {
        let started = clock.now()
        let polling = batch.state == .processing
        var status: Int?
        let transition: BatchTransition
        let error: String?
        let waitStart = ContinuousClock.now
        do {
            let answer = polling ? try await client.poll(batch.id) : try await client.send(batch)
            await timings.add(ContinuousClock.now - waitStart)
            status = answer.status
            // `nil`: a receipt came but could not be stored; the lease runs out and the batch is asked again.
            guard let interpreted = await interpret(answer, batch: batch, polling: polling, now: started) else {
                return
            }
            (transition, error) = interpreted
        } catch let failure {
            await timings.add(ContinuousClock.now - waitStart)
            let message = "no answer: \(failure)"
            error = message
            transition = retryOrDead(batch, error: message, retryAfter: nil, now: started)
            await breaker.recordFailure(now: started)
        }
        var wait: Double?
        if case .retry(let at, _) = transition { wait = Double(at.seconds) - started.timeIntervalSince1970 }
        if case .processing(let at) = transition { wait = Double(at.seconds) - started.timeIntervalSince1970 }
        let reason = status.map { "http_\($0)" } ?? "no_answer"
        metrics.attempt(outcome: Self.outcome(of: transition), reason: reason)
        logger.info(
            "batch attempt",
            metadata: [
                "batch_id": "\(batch.id)", "status": "\(status.map(String.init) ?? "none")",
                "outcome": "\(Self.outcome(of: transition))", "error": "\(error ?? "")",
            ]
        )
        do {
            let recorded = try await storage.finishAttempt(
                batchID: batch.id,
                owner: owner,
                attempt: BatchAttempt(at: Timestamp(started), status: status, error: error, nextWait: wait),
                transition: transition
            )
            guard recorded else {
                logger.notice(
                    "another process took the batch over; its attempt counts",
                    metadata: ["batch_id": "\(batch.id)"]
                )
                return
            }
        } catch {
            logger.error(
                "could not record an attempt; the lease will expire and the batch be sent again",
                metadata: ["batch_id": "\(batch.id)", "error": "\(error)"]
            )
            return
        }
        await report(transition, batch: batch, status: status, reason: reason, started: started)
    }

    /// Alerts and counts what the operator must know about: dead batches, conflicts, delivery times.
    private func report(
        _ transition: BatchTransition,
        batch: OutboxBatch,
        status: Int?,
        reason: String,
        started: Date
    ) async {
        if status == 409 {
            metrics.conflict()
            await outcomes.recordConflict()
            logger.warning(
                "the ministry saw this batch id before with other bytes (409); the batch is dead, investigate",
                metadata: ["batch_id": "\(batch.id)"]
            )
        }
        switch transition {
        case .dead(let deadReason):
            metrics.dead(reason: status.map { (400..<500).contains($0) && $0 != 429 ? reason : "gave_up" } ?? "gave_up")
            await outcomes.recordDead(batch.id, reason: deadReason)
            logger.warning(
                "batch dead: fix the cause, then `taxlink outbox requeue --dead`",
                metadata: ["batch_id": "\(batch.id)", "reason": "\(deadReason)"]
            )
        case .delivered:
            metrics.sealToReceipt(seconds: clock.now().timeIntervalSince1970 - Double(batch.createdAt.seconds))
        default:
            break
        }
    }
}
