import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TaxLinkSigning
import TaxLinkStore

/// The HTTP exchange with the ministry's intake: `POST /v1/batches` and `GET /v1/batches/{id}`.
/// It only moves bytes; what an answer means is the uploader's business.
public struct MinistryClient: Sendable {
    /// An answer: status, the headers that matter, and the body.
    public struct Answer: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The body bytes, as received.
        public var body: [UInt8]
        /// The `JWS-Signature` header, when there was one.
        public var signature: String?
        /// The `Retry-After` header as sent, when there was one.
        public var retryAfter: String?
    }

    let client: HTTPClient
    let baseURL: String
    let requestTimeout: TimeInterval

    /// A client of the intake at `baseURL` (a trailing `/` is dropped); each request must end within `requestTimeout` seconds.
    public init(client: HTTPClient, baseURL: String, requestTimeout: TimeInterval) {
        self.client = client
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.requestTimeout = requestTimeout
    }

    /// Sends a sealed batch: the stored bytes, with their digest, signature and idempotency key.
    public func send(_ batch: OutboxBatch) async throws -> Answer {
        var request = HTTPClientRequest(url: "\(baseURL)/v1/batches")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: batch.id)
        request.headers.add(name: "Content-Digest", value: ContentDigest.header(for: batch.body))
        request.headers.add(name: "JWS-Signature", value: batch.jws)
        request.body = .bytes(batch.body)
        return try await execute(request)
    }

    /// Asks for the state of a batch (after a 202).
    public func poll(_ batchID: String) async throws -> Answer {
        var request = HTTPClientRequest(url: "\(baseURL)/v1/batches/\(batchID)")
        request.method = .GET
        return try await execute(request)
    }

    private func execute(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await client.execute(request, timeout: .milliseconds(Int64(requestTimeout * 1000)))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Answer(
            status: Int(response.status.code),
            body: Array(body.readableBytesView),
            signature: response.headers.first(name: "JWS-Signature"),
            retryAfter: response.headers.first(name: "Retry-After")
        )
    }
}
