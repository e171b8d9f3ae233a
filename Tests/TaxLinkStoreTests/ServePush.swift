import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PostgresNIO
import TestSupport

@testable import TaxLinkStore

/// One push of Shopee order lines to a running `taxlink serve`, and what it answered.
struct ServePush: Sendable {
    /// The orders pushed (`K<index>`).
    let orders: [Int]
    /// The HTTP status, or `nil` when no answer came (the connection failed).
    var status: Int?
    /// The `Retry-After` header, when there was one.
    var retryAfter: String?

    /// Whether the server acknowledged the push (202): every order in it must be stored.
    var isAcknowledged: Bool { status == 202 }

    /// The token the servers started by these tests accept for Shopee pushes.
    static let environment = ["TAXLINK_TOKENS": "t1 platform:shopee", "LOG_LEVEL": "error"]

    /// Pushes `orders` (lines from `line`, ``SampleOrders/shopee(_:)`` by default) to the server on `port`.
    static func send(
        _ orders: [Int], port: Int, line: (Int) -> String = SampleOrders.shopee
    ) async -> ServePush {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/platforms/shopee/orders")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer t1")
        request.headers.add(name: "Content-Type", value: "application/x-ndjson")
        request.body = .bytes(ByteBuffer(string: orders.map(line).joined(separator: "\n")))
        var push = ServePush(orders: orders)
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)) else { return push }
        _ = try? await response.body.collect(upTo: 1 << 20)
        push.status = Int(response.status.code)
        push.retryAfter = response.headers.first(name: "Retry-After")
        return push
    }

    /// The status of `GET path` on the server on `port` (`nil` when no answer came).
    static func status(of path: String, port: Int) async -> Int? {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)) else { return nil }
        _ = try? await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    /// Every stored Shopee record as `external_id → its revisions` (in order), read from the
    /// database at `endpoint` with a store of its own.
    static func storedRevisions(at endpoint: PostgresEndpoint) async throws -> [String: [Int64]] {
        let store = PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint), logger: StoreFixture.logger)
        return try await StoreFixture.withRunning(store) {
            try await store.withConnection { connection in
                let rows = try await connection.query(
                    "SELECT external_id, revision FROM records WHERE platform = 'shopee' ORDER BY external_id, revision",
                    logger: store.logger)
                var revisions: [String: [Int64]] = [:]
                for try await (id, revision) in rows.decode((String, Int64).self) {
                    revisions[id, default: []].append(revision)
                }
                return revisions
            }
        }
    }
}
