import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import TaxLinkCore
import TaxLinkServer
import TaxLinkStore
import TestSupport
import Testing

/// A push that is not answered 2xx leaves nothing visible, and the same push sent again is stored
/// in full: a live server on loopback, real sockets, a real SQLite file.
@Suite("Pushes not answered 2xx leave nothing")
struct FeedAtomicityTests {
    static let itemCount = 2_500
    static let ndjson = Array((0..<itemCount).map { SampleOrders.shopee($0) }.joined(separator: "\n").utf8)

    /// A temporary database file, removed afterwards.
    static func withDatabase(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taxlink-atomic-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder.appendingPathComponent("db.sqlite").path)
    }

    /// A live `taxlink serve` application over the store at `database`; `body` gets its port.
    static func withLiveServer(
        database: String,
        maximumBodyBytes: Int = 64 * 1024 * 1024,
        _ body: @escaping @Sendable (any TestClientProtocol, Int, SQLiteStore) async throws -> Void
    ) async throws {
        let store = try SQLiteStore(path: database)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.tokens = try TokenRegistry.parse(RouteTests.tokens)
        configuration.maximumBodyBytes = maximumBodyBytes
        // The live test client opens its connection before the test body runs; on a loaded machine
        // the body can take longer than the default header timeout, which would close that idle
        // connection under the client. These tests are about feeds, not timeouts.
        configuration.timeouts.header = .seconds(600)
        configuration.timeouts.keepAliveIdle = .seconds(600)
        let app = try buildApplication(
            configuration: configuration,
            stores: Stores(store),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(client, port, store)
        }
    }

    /// Nothing of any push is visible: no record or revision, nothing the sealer would upload, no
    /// pending order, and no complete feed.
    static func expectNothingVisible(_ store: SQLiteStore) async throws {
        var records = 0
        try await store.forEachRecord(RecordQuery(allRevisions: true)) { _ in records += 1 }
        #expect(records == 0)
        #expect(try await store.unsealedRecords(limit: 1).isEmpty)
        let statistics = try await store.statistics()
        #expect(statistics.pendingOrders == 0 && statistics.feeds == 0)
    }

    /// Pushes `ndjson` whole and expects every item stored, none a duplicate.
    static func expectStoredInFull(_ client: any TestClientProtocol, _ store: SQLiteStore) async throws {
        try await client.execute(
            uri: "/v1/platforms/shopee/orders",
            method: .post,
            headers: RouteTests.headers("shopee-token", "application/x-ndjson"),
            body: ByteBuffer(bytes: ndjson)
        ) { response in
            #expect(response.status == .accepted)
            let summary = try JSONParser.parse(Array(response.body.readableBytesView))
            #expect(summary["accepted"] == JSONValue.int(itemCount) && summary["duplicates"] == JSONValue.int(0))
        }
        #expect(try await store.statistics().records == itemCount)
    }

    /// The head of a Shopee orders push with `fields`, as sent on the wire.
    static func requestHead(_ fields: String...) -> String {
        let lines =
            ["POST /v1/platforms/shopee/orders HTTP/1.1", "Host: 127.0.0.1", "Authorization: Bearer shopee-token"]
            + fields
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    @Test func aBodyCutOffByItsClientLeavesNothing() async throws {
        try await Self.withDatabase { database in
            try await Self.withLiveServer(database: database) { client, port, store in
                let sent = String(decoding: Self.ndjson.prefix(Self.ndjson.count * 9 / 10), as: UTF8.self)
                try await RawConnection.open(port: port).sendAndHangUp(
                    Self.requestHead("Content-Type: application/x-ndjson", "Content-Length: \(Self.ndjson.count)")
                        + sent
                )
                try await Self.expectNothingVisible(store)
                // Stored after the cut-off was handled: had the cut-off kept anything, items would
                // count as duplicates here, or show as a second complete feed.
                try await Self.expectStoredInFull(client, store)
                #expect(try await store.feeds(limit: 10, offset: 0).filter { $0.status == .complete }.count == 1)
            }
        }
    }

    @Test func aBodyRefusedWith413AfterThousandsOfItemsLeavesNothing() async throws {
        try await Self.withDatabase { database in
            try await Self.withLiveServer(database: database, maximumBodyBytes: Self.ndjson.count * 9 / 10) {
                _,
                port,
                store in
                var request = Self.requestHead(
                    "Content-Type: application/x-ndjson",
                    "Transfer-Encoding: chunked",
                    "Connection: close"
                )
                let text = String(decoding: Self.ndjson, as: UTF8.self)
                for start in stride(from: 0, to: text.utf8.count, by: 65_536) {
                    let chunk = text.utf8.dropFirst(start).prefix(65_536)
                    request += String(chunk.count, radix: 16) + "\r\n" + String(decoding: chunk, as: UTF8.self) + "\r\n"
                }
                request += "0\r\n\r\n"
                let outcome = try await RawConnection.open(port: port).send(request, thenAwaitCloseWithin: .seconds(30))
                #expect(
                    outcome?.received.hasPrefix("HTTP/1.1 413") == true,
                    "\(outcome?.received.prefix(200) ?? "no close")"
                )
                try await Self.expectNothingVisible(store)
            }
            try await Self.withLiveServer(database: database) { client, _, store in
                try await Self.expectStoredInFull(client, store)
            }
        }
    }

    @Test func anEnvelopeBrokenAfterThousandsOfItemsIs400AndLeavesNothing() async throws {
        try await Self.withDatabase { database in
            try await Self.withLiveServer(database: database) { client, port, store in
                let items = (0..<Self.itemCount).map { SampleOrders.shopee($0) }.joined(separator: ",")
                // Every item is adapted before the break at the end is met: on a loaded machine that
                // takes longer than the test client's 15 s read timeout, so a client with a long one.
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/platforms/shopee/orders")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer shopee-token")
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: #"{"orders": [\#(items), {"order": }]}"#))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
                #expect(response.status == .badRequest)
                #expect(response.headers.first(name: "Content-Type") == "application/problem+json")
                try await Self.expectNothingVisible(store)
                let failed = try await store.feeds(limit: 10, offset: 0)
                #expect(failed.map(\.status) == [.failed])
                try await Self.expectStoredInFull(client, store)
            }
        }
    }
}
