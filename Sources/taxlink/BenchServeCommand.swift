import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import TaxLinkCore
import TaxLinkServer
import TaxLinkStore

/// `taxlink bench-serve`: the HTTP API in process on a fresh SQLite file and a free loopback port;
/// `--clients` clients push `--feeds` Shopee envelopes of `--orders` distinct orders between them,
/// each client one push after another (a closed loop); reports orders/s, the latency of the
/// answers (p50, p99, max) and the process's peak memory (server and clients together).
struct BenchServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-serve",
        abstract: "Benchmark HTTP ingest: clients pushing JSON envelopes to an in-process server (build with -c release)."
    )

    @Option(help: "Concurrent clients.") var clients = 8
    @Option(help: "Envelopes pushed in all.") var feeds = 80
    @Option(help: "Orders per envelope.") var orders = 1_000
    @Option(help: "The SQLite file to create (default: a temporary one, removed afterwards).") var file: String?
    @Option(
        help: """
            Push to a server already running at this base URL (e.g. another build's `taxlink serve` with a token \
            'bench-serve-token platform:shopee') instead of one in process; peak memory is then the clients' own.
            """
    ) var url: String?

    func run() async throws {
        guard clients > 0, feeds > 0, orders > 0 else {
            throw CommandFailure("--clients, --feeds and --orders must be positive")
        }
        if let url {
            Memory.resetPeak()
            return report(try await push(to: url))
        }
        let path =
            file
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("taxlink-bench-serve-\(UUID().uuidString).sqlite").path
        if FileManager.default.fileExists(atPath: path) { throw CommandFailure("\(path) exists; give a new --file") }
        defer {
            if file == nil {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.tokens = try TokenRegistry.parse("bench-serve-token platform:shopee")
        var logger = Logger(label: "taxlink-bench-serve")
        logger.logLevel = .critical
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let app = try buildApplication(
            configuration: configuration,
            stores: Stores(try SQLiteStore(path: path)),
            logger: logger,
            onServerRunning: { announce.yield($0) }
        )
        Memory.resetPeak()
        let pushes = try await withThrowingTaskGroup(of: [Push]?.self) { group in
            group.addTask {
                try await app.runService()
                return nil
            }
            var announced = ports.makeAsyncIterator()
            guard let port = await announced.next() else { throw CommandFailure("the server did not start") }
            let pushes = try await push(to: "http://127.0.0.1:\(port)")
            group.cancelAll()
            return pushes
        }
        report(pushes)
    }

    /// One answered push.
    struct Push: Sendable {
        let seconds: Double
        let accepted: Int
        let start: ContinuousClock.Instant
        let end: ContinuousClock.Instant
    }

    /// Runs the clients; each pushes feeds `client`, `client + clients`, … one after another.
    private func push(to base: String) async throws -> [Push] {
        var client = HTTPClient.Configuration()
        client.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = clients
        client.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(600))
        let url = base + "/v1/platforms/shopee/orders"
        let (feeds, orders, clients) = (self.feeds, self.orders, self.clients)
        return try await HTTPClient.withHTTPClient(configuration: client) { http in
            try await withThrowingTaskGroup(of: [Push].self) { group in
                for first in 0..<clients {
                    group.addTask {
                        var pushes: [Push] = []
                        for feed in stride(from: first, to: feeds, by: clients) {
                            var request = HTTPClientRequest(url: url)
                            request.method = .POST
                            request.headers.add(name: "Authorization", value: "Bearer bench-serve-token")
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(Self.envelope(feed: feed, orders: orders))
                            let start = ContinuousClock.now
                            let response = try await http.execute(request, timeout: .seconds(600))
                            let answer = try await response.body.collect(upTo: 1 << 24)
                            let end = ContinuousClock.now
                            guard response.status.code == 202 else {
                                throw CommandFailure(
                                    "push \(feed) answered \(response.status.code): \(String(buffer: answer))")
                            }
                            let summary = try? JSONParser.parse(Array(buffer: answer))
                            let accepted = summary?["accepted"].flatMap { if case .number(let text) = $0 { Int(text) } else { nil } }
                            pushes.append(
                                Push(seconds: Self.seconds(end - start), accepted: accepted ?? 0, start: start, end: end))
                        }
                        return pushes
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        }
    }

    /// Feed `feed`'s envelope: `orders` Shopee orders no other feed has.
    static func envelope(feed: Int, orders: Int) -> [UInt8] {
        let synthetic = SyntheticFeed(platform: .shopee, orders: Int.max)
        var body = Array(#"{"orders": ["#.utf8)
        body.reserveCapacity(orders * 1_000)
        for index in 0..<orders {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: synthetic.line(feed * orders + index).utf8)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }

    private func report(_ pushes: [Push]) {
        let latencies = pushes.map(\.seconds).sorted()
        let first = pushes.map(\.start).min() ?? .now
        let last = pushes.map(\.end).max() ?? .now
        let wall = Self.seconds(last - first)
        let accepted = pushes.reduce(0) { $0 + $1.accepted }
        func percentile(_ p: Double) -> String {
            guard !latencies.isEmpty else { return "0" }
            let rank = min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)
            return String(format: "%.3f", latencies[max(0, rank)])
        }
        var output = Output()
        output.json(
            .object(
                JSONObject([
                    (key: "clients", value: .int(clients)),
                    (key: "feeds", value: .int(pushes.count)),
                    (key: "orders_per_feed", value: .int(orders)),
                    (key: "accepted", value: .int(accepted)),
                    (key: "seconds", value: .number(String(format: "%.3f", wall))),
                    (key: "orders_per_second", value: .int(Int(Double(pushes.count * orders) / max(wall, 1e-9)))),
                    (key: "latency_p50_seconds", value: .number(percentile(0.50))),
                    (key: "latency_p99_seconds", value: .number(percentile(0.99))),
                    (key: "latency_max_seconds", value: .number(percentile(1.0))),
                    (key: "peak_rss_mib", value: .int(Memory.peakMiB())),
                ])
            )
        )
        output.flush()
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
