import PostgresNIO
import TaxLinkCore
import Testing

@testable import TaxLinkStore

/// On PostgreSQL a `receiving` feed belongs to the connection holding its advisory lock: opening
/// the store abandons the feeds whose writer is gone, on any host, and leaves live writers alone.
@Suite struct FeedAbandonTests {
    @Test func onlyFeedsWhoseWriterIsGoneAreAbandoned() async throws {
        try await StoreFixture.withStore(.postgres) { test in
            guard case .postgres(let store) = test.backing, case .postgres(let endpoint) = test.url else {
                Issue.record("not a PostgreSQL store")
                return
            }
            let feed = NewFeed(source: "shopee/orders", receivedAt: FeedSamples.receivedAt)
            let logger = StoreFixture.logger
            let (gone, backend) = try await endpoint.withSingleConnection(logger: logger) { connection in
                (try await store.register(feed, on: connection), try await Self.backendPID(connection))
            }
            try await Self.waitUntilEnded(backend, endpoint: endpoint)
            try await endpoint.withSingleConnection(logger: logger) { connection in
                let alive = try await store.register(feed, on: connection)
                try await store.abandonInterruptedFeeds()
                #expect(try await store.feed(gone.id)?.status == .abandoned)
                #expect(try await store.feed(alive.id)?.status == .receiving)
            }
        }
    }

    static func backendPID(_ connection: PostgresConnection) async throws -> Int32 {
        var pid: Int32 = 0
        for try await value in try await connection.query("SELECT pg_backend_pid()", logger: StoreFixture.logger)
            .decode(Int32.self)
        {
            pid = value
        }
        return pid
    }

    /// Waits until the server has ended the backend `pid` (a closed connection's backend exits a
    /// moment after the client closes it, and only then are its locks released).
    static func waitUntilEnded(_ pid: Int32, endpoint: PostgresEndpoint) async throws {
        try await endpoint.withSingleConnection(logger: StoreFixture.logger) { connection in
            for _ in 0..<1_000 {
                let rows = try await connection.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)",
                    logger: StoreFixture.logger
                )
                var count = 1
                for try await value in rows.decode(Int.self) { count = value }
                if count == 0 { return }
                try await Task.sleep(for: .milliseconds(5))
            }
            Issue.record("backend \(pid) did not end")
        }
    }
}
