import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TaxLinkServer
import TaxLinkStore
import TestSupport
import Testing

/// The server's timeouts over real sockets on loopback, with timeouts of a few hundred milliseconds
/// (long enough for a test process busy with other suites to send its bytes in time).
@Suite("Server timeouts")
struct ServerTimeoutTests {
    static let timeouts = ServerConfiguration.Timeouts(
        header: .milliseconds(800), bodyIdle: .milliseconds(300), keepAliveIdle: .milliseconds(500))

    /// Runs `body` with the port of a live server on a fresh database.
    static func withServer(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-timeouts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("db.sqlite").path)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.tokens = try TokenRegistry.parse(RouteTests.tokens)
        configuration.timeouts = timeouts
        let app = try buildApplication(
            configuration: configuration, stores: Stores(store), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    @Test(
        "a half-sent request head is closed at the header timeout",
        arguments: ["", "POST /v1/platforms/shopee/orders HTTP/1.1\r\n", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1"])
    func halfSentHead(text: String) async throws {
        try await Self.withServer { port in
            let outcome = try #require(try await RawConnection.open(port: port).send(text))
            #expect(outcome.received.isEmpty)
            #expect(outcome.closedAfter >= .milliseconds(600))
        }
    }

    @Test(
        "a body shorter than its Content-Length is answered 400 and closed",
        arguments: [
            ("POST /v1/platforms/shopee/orders", "shopee-token", #"{"orders": ["#),
            ("PATCH /v1/discrepancies/f-1", "analyst-token", #"{"status": "#),
        ])
    func shortBody(requestLine: String, token: String, body: String) async throws {
        try await Self.withServer { port in
            let request =
                "\(requestLine) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count + 100)\r\n\r\n\(body)"
            let outcome = try #require(try await RawConnection.open(port: port).send(request))
            #expect(outcome.received.hasPrefix("HTTP/1.1 400"), "\(outcome.received)")
            #expect(outcome.received.contains("application/problem+json"))
            #expect(outcome.received.contains("stopped before its end"))
            #expect(outcome.closedAfter >= .milliseconds(400))
        }
    }

    @Test func anIdleKeptAliveConnectionIsClosedAfterItsAnswer() async throws {
        try await Self.withServer { port in
            let outcome = try #require(
                try await RawConnection.open(port: port).send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
            #expect(outcome.received.hasPrefix("HTTP/1.1 200"))
            #expect(outcome.received.hasSuffix("ok\n"))
            #expect(outcome.closedAfter >= .milliseconds(400))
        }
    }

    @Test func aCompleteRequestIsAnsweredAsBefore() async throws {
        try await Self.withServer { port in
            let request = "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            let outcome = try #require(try await RawConnection.open(port: port).send(request))
            #expect(outcome.received.hasPrefix("HTTP/1.1 200"))
        }
    }
}
