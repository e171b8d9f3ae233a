import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TaxLinkCore
import TaxLinkStore
import TestSupport
import Testing

/// `taxlink serve` as a real process on each store, killed with SIGKILL right after it
/// acknowledged a feed: every acknowledged item is there afterwards.
@Suite("Durability", .serialized)
struct DurabilityTests {
    /// Runs the real binary (found beside this test bundle or built); never skipped.
    @Test(arguments: StoreKind.allCases)
    func everyAcknowledgedItemSurvivesSIGKILL(_ kind: StoreKind) async throws {
        try await StoreFixture.withEmptyDatabase(kind) { database in
            var acknowledged = 0
            for round in 0..<3 {
                let (server, port) = try await RunningTaxLink.serve(
                    ["--database", database.description],
                    environment: ["TAXLINK_TOKENS": "t1 platform:shopee", "LOG_LEVEL": "error"]
                )
                let body = (0..<500).map { SampleOrders.shopee(round * 500 + $0) }.joined(separator: "\n")
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/platforms/shopee/orders")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer t1")
                request.headers.add(name: "Content-Type", value: "application/x-ndjson")
                request.body = .bytes(ByteBuffer(string: body))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                #expect(response.status.code == 202)
                let summary = try JSONParser.parse(Array(try await response.body.collect(upTo: 1 << 20).readableBytesView))
                acknowledged +=
                    Int(summary["accepted"].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? "0") ?? 0
                server.send(SIGKILL)
                _ = await server.finished()
            }
            #expect(acknowledged == 1500)
            let records = try await StoreFixture.withOpened(database) { try await $0.statistics().records }
            #expect(records == acknowledged)
        }
    }
}

extension StoreFixture {
    /// Runs `body` with the URL of a database of `kind` that a process may create and migrate:
    /// a SQLite file not made yet, or a fresh empty PostgreSQL database (dropped afterwards).
    static func withEmptyDatabase<T>(_ kind: StoreKind, _ body: (DatabaseURL) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite: try await withSQLiteURL { url, _ in try await body(url) }
        case .postgres: try await withPostgresDatabase { try await body(.postgres($0)) }
        }
    }

    /// Runs `body` with the feed store of the existing database at `url`, open meanwhile.
    static func withOpened<T>(_ url: DatabaseURL, _ body: (any Storage) async throws -> T) async throws -> T {
        switch url {
        case .sqlite(let path): return try await body(try SQLiteStore(path: path))
        case .postgres(let endpoint):
            let store = PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint), logger: logger)
            return try await withRunning(store) { try await body(store) }
        }
    }
}
