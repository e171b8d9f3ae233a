import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TaxLinkCore
import TaxLinkStore

/// Delivers sealed batches to the ministry: every answer of the intake's table, retries with
/// backoff and jitter, leases so two processes never send the same batch at once, and only a
/// verified receipt marks a batch delivered.
public struct Uploader: Service {
    let storage: any OutboxStorage
    let sealer: Sealer
    let client: MinistryClient
    let verifier: ReceiptVerifier
    let configuration: OutboxConfiguration
    let breaker: CircuitBreaker
    let logger: Logger
    /// This process's name on the leases it takes.
    let owner: String
    /// Time spent waiting on the ministry, for benchmarks.
    public let timings = UploadTimings()

    public init(
        storage: any OutboxStorage, sealer: Sealer, client: MinistryClient, verifier: ReceiptVerifier,
        configuration: OutboxConfiguration, logger: Logger
    ) {
        self.storage = storage
        self.sealer = sealer
        self.client = client
        self.verifier = verifier
        self.configuration = configuration
        self.breaker = CircuitBreaker(threshold: configuration.breakerThreshold, cooldown: configuration.breakerCooldown)
        self.logger = logger
        self.owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    /// Seals and sends until the service group shuts down.
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let busy = try await tick()
                if !busy { try await Task.sleep(for: .seconds(configuration.idleInterval)) }
            }
        }
    }

    /// Seals and sends until nothing is left to send (everything delivered or dead), or the deadline passes.
    /// Returns whether the outbox is empty.
    public func runUntilEmpty(deadline: Date? = nil) async throws -> Bool {
        while !Task.isCancelled {
            if let deadline, Date() >= deadline { return false }
            let busy = try await tick()
            let status = try await storage.outboxStatus(now: .now)
            let open: [BatchState] = [.sealed, .sending, .retryWait, .processing]
            if status.unsealedRecords == 0, open.allSatisfy({ (status.states[$0]?.count ?? 0) == 0 }) { return true }
            if !busy { try await Task.sleep(for: .seconds(configuration.idleInterval)) }
        }
        return false
    }

    /// One round: seal what is ready, then send the batches that are due. Returns whether it sent anything.
    func tick() async throws -> Bool {
        try await sealer.sealAvailable()
        if let wait = await breaker.waitBeforeSending() {
            logger.warning("circuit breaker open: sending paused", metadata: ["seconds": "\(Int(wait.rounded(.up)))"])
            try await Task.sleep(for: .seconds(min(wait, 5)))
            return true
        }
        let due = try await storage.claimDueBatches(
            owner: owner, now: .now, leaseSeconds: configuration.leaseSeconds, limit: configuration.concurrency)
        guard !due.isEmpty else { return false }
        await withTaskGroup(of: Void.self) { group in
            for batch in due {
                group.addTask { await self.deliver(batch) }
            }
        }
        return true
    }

    private func deliver(_ batch: OutboxBatch) async {
        let started = Date()
        let polling = batch.state == .processing
        var status: Int?
        var transition: BatchTransition
        var error: String?
        let waitStart = ContinuousClock.now
        do {
            let answer = polling ? try await client.poll(batch.id) : try await client.send(batch)
            await timings.add(ContinuousClock.now - waitStart)
            status = answer.status
            (transition, error) = await interpret(answer, batch: batch, polling: polling, now: started)
        } catch let failure {
            await timings.add(ContinuousClock.now - waitStart)
            error = "no answer: \(failure)"
            transition = retryOrDead(batch, error: error!, retryAfter: nil, now: started)
            await breaker.recordFailure()
        }
        var wait: Double?
        if case .retry(let at, _) = transition { wait = Double(at.seconds) - started.timeIntervalSince1970 }
        if case .processing(let at) = transition { wait = Double(at.seconds) - started.timeIntervalSince1970 }
        Counter(
            label: "taxlink_upload_attempts_total",
            dimensions: [
                ("outcome", Self.outcome(of: transition)), ("reason", status.map { "http_\($0)" } ?? "no_answer"),
            ]
        ).increment()
        if case .delivered = transition {
            Metrics.Timer(label: "taxlink_seal_to_receipt_seconds")
                .recordSeconds(Date().timeIntervalSince1970 - Double(batch.createdAt.seconds))
        }
        logger.info(
            "batch attempt",
            metadata: [
                "batch_id": "\(batch.id)", "status": "\(status.map(String.init) ?? "none")",
                "outcome": "\(Self.outcome(of: transition))", "error": "\(error ?? "")",
            ])
        do {
            try await storage.finishAttempt(
                batchID: batch.id, owner: owner,
                attempt: BatchAttempt(at: Timestamp(started), status: status, error: error, nextWait: wait),
                transition: transition)
        } catch {
            logger.error("could not record an attempt; the lease will expire and the batch be sent again",
                metadata: ["batch_id": "\(batch.id)", "error": "\(error)"])
        }
    }

    /// What an answer means for the batch, per the intake's table.
    private func interpret(
        _ answer: MinistryClient.Answer, batch: OutboxBatch, polling: Bool, now: Date
    ) async -> (BatchTransition, String?) {
        switch answer.status {
        case 200, 201:
            await breaker.recordSuccess()
            do {
                let receipt = try await verifier.verify(receipt: answer.body, jws: answer.signature, for: batch)
                return (
                    .delivered(
                        receipt: answer.body, receiptJWS: answer.signature ?? "", rejections: receipt.rejections,
                        at: Timestamp(Date())),
                    nil
                )
            } catch {
                let message = "receipt not accepted: \(error)"
                return (retryOrDead(batch, error: message, retryAfter: nil, now: now), message)
            }
        case 202:
            await breaker.recordSuccess()
            return (.processing(pollAt: Timestamp(unixSeconds: Int64((now.timeIntervalSince1970 + configuration.pollInterval).rounded(.up)))), nil)
        case 404 where polling:
            return (.retry(at: Timestamp(now), error: "the ministry does not know the batch; sending it again"),
                "HTTP 404 on poll")
        case 413:
            await breaker.recordSuccess()
            return split(batch, detail: Self.problemDetail(answer))
        case 429, 500...599:
            await breaker.recordFailure()
            let message = "HTTP \(answer.status): \(Self.problemDetail(answer))"
            let retryAfter = RetryAfter.seconds(answer.retryAfter, now: now)
            return (retryOrDead(batch, error: message, retryAfter: retryAfter, now: now), message)
        default:
            await breaker.recordSuccess()
            let message = "HTTP \(answer.status): \(Self.problemDetail(answer))"
            return (.dead(reason: message), message)
        }
    }

    private func retryOrDead(_ batch: OutboxBatch, error: String, retryAfter: TimeInterval?, now: Date) -> BatchTransition {
        let attempt = batch.attempts + 1
        let firstAttempt = batch.firstAttemptAt?.date ?? now
        if attempt >= configuration.maxAttempts {
            return .dead(reason: "gave up after \(attempt) attempts: \(error)")
        }
        if now.timeIntervalSince(firstAttempt) >= configuration.maxAge {
            return .dead(reason: "gave up after \(Int(configuration.maxAge)) s: \(error)")
        }
        let delay = configuration.backoff.delay(afterAttempt: attempt, retryAfter: retryAfter)
        let next = Timestamp(unixSeconds: Int64((now.timeIntervalSince1970 + delay).rounded(.up)))
        return .retry(at: next, error: error)
    }

    private func split(_ batch: OutboxBatch, detail: String) -> (BatchTransition, String?) {
        let message = "HTTP 413: \(detail)"
        guard let records = (try? JSONParser.parse(batch.body))?["records"]?.arrayValue, records.count > 1 else {
            return (.dead(reason: "\(message); a single record cannot be split"), message)
        }
        let members = records.map { record -> (RecordRevision, [UInt8]) in
            let revision = record["revision"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } } ?? 1
            return (RecordRevision(recordID: record["record_id"]?.stringValue ?? "", revision: revision), CanonicalJSON.encode(record))
        }
        let middle = members.count / 2
        do {
            let parts = try [Array(members[..<middle]), Array(members[middle...])].map {
                try sealer.seal($0, parentID: batch.id)
            }
            return (.split(into: parts), message)
        } catch {
            return (.dead(reason: "\(message); could not seal the parts: \(error)"), message)
        }
    }

    static func problemDetail(_ answer: MinistryClient.Answer) -> String {
        guard let problem = try? JSONParser.parse(answer.body) else {
            return String(decoding: answer.body.prefix(200), as: UTF8.self)
        }
        return [problem["title"]?.stringValue, problem["detail"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
    }

    static func outcome(of transition: BatchTransition) -> String {
        switch transition {
        case .delivered: "delivered"
        case .retry: "retry"
        case .processing: "processing"
        case .dead: "dead"
        case .split: "split"
        }
    }
}
