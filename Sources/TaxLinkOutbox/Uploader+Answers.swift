import Foundation
import Logging
import TaxLinkCore
import TaxLinkStore

extension Uploader {
    /// What an answer means for the batch, per the intake's table; `nil` when a receipt could not be stored.
    func interpret(
        _ answer: MinistryClient.Answer,
        batch: OutboxBatch,
        polling: Bool,
        now: Date
    ) async -> (BatchTransition, String?)? {
        switch answer.status {
        case 200, 201:
            await breaker.recordSuccess()
            return await accept(answer, batch: batch, now: now)
        case 202:
            await breaker.recordSuccess()
            let pollAt = Timestamp(
                unixSeconds: Int64((now.timeIntervalSince1970 + configuration.pollInterval).rounded(.up))
            )
            return (.processing(pollAt: pollAt), nil)
        case 404 where polling:
            return (
                .retry(at: Timestamp(now), error: "the ministry does not know the batch; sending it again"),
                "HTTP 404 on poll"
            )
        case 413:
            await breaker.recordSuccess()
            return split(batch, detail: Self.problemDetail(answer))
        case 429, 500...599:
            await breaker.recordFailure(now: now)
            let message = "HTTP \(answer.status): \(Self.problemDetail(answer))"
            let retryAfter = RetryAfter.seconds(answer.retryAfter, now: now)
            return (retryOrDead(batch, error: message, retryAfter: retryAfter, now: now), message)
        default:
            await breaker.recordSuccess()
            let message = "HTTP \(answer.status): \(Self.problemDetail(answer))"
            return (.dead(reason: message), message)
        }
    }

    /// Stores the receipt first (its own transaction), then verifies it: delivered when it holds,
    /// otherwise kept as evidence with the reason and the batch retried.
    private func accept(
        _ answer: MinistryClient.Answer,
        batch: OutboxBatch,
        now: Date
    ) async -> (BatchTransition, String?)? {
        let receiptID: Int64
        do {
            receiptID = try await storage.storeReceipt(
                ReceivedReceipt(
                    batchID: batch.id,
                    receivedAt: Timestamp(now),
                    status: answer.status,
                    body: answer.body,
                    jws: answer.signature,
                    ministryTrust: verifier.trustPEM
                )
            )
        } catch {
            logger.error(
                "could not store the ministry's receipt; the batch is asked again when its lease expires",
                metadata: ["batch_id": "\(batch.id)", "error": "\(error)"]
            )
            return nil
        }
        let problem: String?
        let transition: BatchTransition
        do {
            let receipt = try await verifier.verify(receipt: answer.body, jws: answer.signature, for: batch, at: now)
            problem = nil
            transition = .delivered(
                receipt: answer.body,
                receiptJWS: answer.signature ?? "",
                rejections: receipt.rejections,
                at: Timestamp(clock.now())
            )
        } catch {
            let message = "receipt not accepted: \(error)"
            problem = message
            transition = retryOrDead(batch, error: message, retryAfter: nil, now: now)
            metrics.receiptRefused()
            await outcomes.recordRefusedReceipt()
            logger.warning(
                "a receipt failed verification; kept as evidence (taxlink outbox evidence)",
                metadata: ["batch_id": "\(batch.id)", "reason": "\(message)"]
            )
        }
        do {
            try await storage.recordReceiptVerdict(id: receiptID, problem: problem)
        } catch {
            logger.error(
                "could not record a receipt's verdict; it stays stored as unchecked",
                metadata: ["batch_id": "\(batch.id)", "error": "\(error)"]
            )
        }
        return (transition, problem)
    }

    /// Retry with backoff, or dead once the budget is spent. The budget (attempts and age) counts
    /// from the last requeue, so a requeued batch gets a fresh one and keeps its history.
    func retryOrDead(_ batch: OutboxBatch, error: String, retryAfter: TimeInterval?, now: Date) -> BatchTransition {
        let attempt = batch.attempts - batch.attemptsBeforeRequeue + 1
        let budgetStart = (batch.requeuedAt ?? batch.firstAttemptAt)?.date ?? now
        if attempt >= configuration.maxAttempts {
            return .dead(reason: "gave up after \(attempt) attempts: \(error)")
        }
        if now.timeIntervalSince(budgetStart) >= configuration.maxAge {
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
            return (
                RecordRevision(recordID: record["record_id"]?.stringValue ?? "", revision: revision),
                CanonicalJSON.encode(record)
            )
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
