import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TaxLinkCore
import TaxLinkSigning
import X509

/// The handlers of `POST /v1/batches` and `GET /v1/batches/{batch_id}`.
struct BatchIntake: Sendable {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let contentDigest = HTTPField.Name("Content-Digest")!
    static let jwsSignature = HTTPField.Name("JWS-Signature")!

    let configuration: MinistryConfiguration
    let store: MinistryStore
    let stats: MinistryStats

    var now: Timestamp { Timestamp(configuration.clock()) }

    /// `POST /v1/batches`, checked in the order of the interface: size, digest, signature,
    /// envelope, record count, idempotency, then every record.
    func post(_ request: Request, context: MinistryRequestContext) async throws -> Response {
        do {
            return try await accept(request, context: context)
        } catch let problem as MinistryProblem {
            await stats.countBatchRejected(status: Int(problem.status.code))
            throw problem
        }
    }

    private func accept(_ request: Request, context: MinistryRequestContext) async throws -> Response {
        let receivedAt = now
        let body = try await readBody(request)
        guard let digest = request.headers[Self.contentDigest] else {
            throw MinistryProblem.unauthorized("digest-missing", "the Content-Digest header is missing")
        }
        guard ContentDigest.verify(header: digest, body: body) else {
            throw MinistryProblem.unauthorized(
                "digest-mismatch",
                "Content-Digest does not carry the sha-256 of the body as received"
            )
        }
        let leaf = try await verifySignature(request.headers[Self.jwsSignature], body: body)
        try checkContentType(request.headers[.contentType])
        let envelope = try BatchEnvelope.parse(body)
        guard let key = request.headers[Self.idempotencyKey] else {
            throw MinistryProblem.badRequest("the Idempotency-Key header is missing; it must equal batch_id")
        }
        guard key == envelope.batchID else {
            throw MinistryProblem.badRequest("Idempotency-Key \"\(key)\" is not batch_id \"\(envelope.batchID)\"")
        }
        let certified = taxCode(of: leaf)
        guard certified == envelope.senderID else {
            throw MinistryProblem.badRequest(
                "sender_id \"\(envelope.senderID)\" is not the tax code of the signing certificate ("
                    + (certified.map { "UID=MST:\($0)" } ?? "which carries no UID=MST") + ")",
                errors: [.init(pointer: "/sender_id", detail: "must equal the certificate's UID=MST tax code")]
            )
        }
        guard envelope.records.count <= configuration.maxRecords else {
            throw MinistryProblem.tooLarge(
                "the batch holds \(envelope.records.count) records, more than \(configuration.maxRecords); split it"
            )
        }
        let bodySHA256 = ContentDigest.sha256Hex(body)
        if let existing = try await store.batch(envelope.batchID) {
            return try await answerRetry(existing, bodySHA256: bodySHA256)
        }
        let verdicts = envelope.records.enumerated().map { RecordRules.check($1, index: $0) }
        let outcome = try await store.admit(
            batchID: envelope.batchID,
            bodySHA256: bodySHA256,
            senderID: envelope.senderID,
            receivedAt: receivedAt,
            verdicts: verdicts,
            pending: pendingProcessing(receivedAt: receivedAt),
            makeReceipt: { [identity = configuration.identity] number, accepted, rejected in
                let bytes = Receipt.bytes(
                    receiptID: Receipt.id(number: number, receivedAt: receivedAt),
                    batchID: envelope.batchID,
                    receivedAt: receivedAt,
                    bodySHA256: bodySHA256,
                    accepted: accepted,
                    rejected: rejected.map { (recordID: $0.0, rejection: $0.1) }
                )
                return (bytes, try DetachedJWS.sign(payload: bytes, identity: identity))
            }
        )
        switch outcome {
        case .existing(let existing):
            return try await answerRetry(existing, bodySHA256: bodySHA256)
        case .created(let stored, let accepted, let rejected):
            await stats.countAccepted(records: accepted, rejected: rejected)
            context.logger.info(
                "batch received",
                metadata: ["batch_id": "\(stored.batchID)", "accepted": "\(accepted)", "rejected": "\(rejected.count)"]
            )
            return stored.processing ? processingResponse(stored.batchID) : receiptResponse(stored, status: .created)
        }
    }

    /// `GET /v1/batches/{batch_id}`: the receipt, `202` while processing, `404` when unknown.
    func get(_ request: Request, context: MinistryRequestContext) async throws -> Response {
        let batchID = context.parameters.get("batch_id") ?? ""
        let nowMilliseconds = Int64((configuration.clock().timeIntervalSince1970 * 1000).rounded(.down))
        guard let stored = try await store.poll(batchID, nowMilliseconds: nowMilliseconds) else {
            throw MinistryProblem(.notFound, "unknown-batch", "no batch \"\(batchID)\" was received")
        }
        return stored.processing ? processingResponse(batchID) : receiptResponse(stored, status: .ok)
    }

    private func answerRetry(_ existing: StoredBatch, bodySHA256: String) async throws -> Response {
        guard existing.bodySHA256 == bodySHA256 else {
            await stats.countConflict()
            throw MinistryProblem(
                .conflict,
                "idempotency-conflict",
                "batch \(existing.batchID) was received before with body SHA-256 \(existing.bodySHA256); "
                    + "this body's is \(bodySHA256). A batch's bytes never change: send new content under a new batch_id"
            )
        }
        await stats.countReplay()
        return existing.processing ? processingResponse(existing.batchID) : receiptResponse(existing, status: .ok)
    }

    private func receiptResponse(_ stored: StoredBatch, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[Self.jwsSignature] = stored.receiptSignature
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.receipt))
        )
    }

    private func processingResponse(_ batchID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.location] = "/v1/batches/\(batchID)"
        return Response(
            status: .accepted,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Receipt.processing(batchID: batchID)))
        )
    }

    private func pendingProcessing(receivedAt: Timestamp) -> PendingProcessing? {
        guard configuration.asyncMode else { return nil }
        let processing = configuration.asyncProcessing
        let readyAt = processing.delay.map { delay in
            let (seconds, attoseconds) = delay.components
            let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
            return Int64((configuration.clock().timeIntervalSince1970 * 1000).rounded(.down)) + milliseconds
        }
        return PendingProcessing(pollsRemaining: processing.pollsBeforeReady, readyAtMilliseconds: readyAt)
    }

    /// Reads the body, refusing with `413` as soon as it passes the limit (never buffering more).
    private func readBody(_ request: Request) async throws -> [UInt8] {
        let limit = configuration.maxBodyBytes
        let tooLarge = MinistryProblem.tooLarge("the body is larger than \(limit) bytes; split the batch")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        var body: [UInt8] = []
        for try await chunk in request.body {
            guard body.count + chunk.readableBytes <= limit else { throw tooLarge }
            body.append(contentsOf: chunk.readableBytesView)
        }
        return body
    }

    private func verifySignature(_ header: String?, body: [UInt8]) async throws -> Certificate {
        guard let header, !header.isEmpty else {
            throw MinistryProblem.unauthorized("signature-missing", "the JWS-Signature header is missing")
        }
        do {
            return try await DetachedJWS.verify(
                header,
                payload: body,
                trustAnchors: configuration.trustAnchors,
                at: configuration.clock()
            )
        } catch let error as SignatureError {
            throw MinistryProblem.unauthorized("signature-\(error.code)", "JWS-Signature rejected: \(error.message)")
        }
    }

    private func checkContentType(_ value: String?) throws {
        let mediaType = value?.split(separator: ";").first.map { String($0).trimmingWhitespace().lowercased() }
        guard mediaType == "application/json" else {
            throw MinistryProblem.badRequest("Content-Type must be application/json, found \(value ?? "none")")
        }
    }
}
