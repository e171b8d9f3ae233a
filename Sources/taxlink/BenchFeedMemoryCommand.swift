import ArgumentParser
import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

/// `taxlink bench-feed-memory`: bodies at the push limit, built in memory (hostile ones of tiny bad
/// items, and one of good Shopee orders), each ingested through the HTTP path's `Ingestor.ingest`
/// into a fresh SQLite file; reports time, the answer's size and the process's peak memory.
struct BenchFeedMemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-feed-memory",
        abstract: "Benchmark memory and time of ingesting hostile and good bodies at the body limit."
    )

    @Option(help: "The size of each body, in MiB (the server's default body limit is 64).") var megabytes = 64
    @Option(name: .customLong("max-items"), help: "The ingest's item limit (default: the ingest's default).")
    var maximumItems = Ingestor.Configuration().maximumItems

    /// One body to ingest.
    private struct Run {
        let name: String
        let path: String
        let format: FeedSource.BodyFormat
        let body: [UInt8]
        let items: Int
    }

    func run() async throws {
        guard megabytes > 0, megabytes <= 1024 else { throw CommandFailure("--megabytes: expected 1 to 1024") }
        guard maximumItems > 0 else { throw CommandFailure("--max-items: expected a positive number") }
        var configuration = Ingestor.Configuration()
        configuration.maximumItems = maximumItems
        var results: [JSONValue] = []
        for make in [Self.hostileEnvelope, Self.hostileCSV, Self.goodShopee] {
            results.append(try await measure(make(megabytes << 20), configuration: configuration))
        }
        var output = Output()
        output.json(
            .object(
                JSONObject([
                    (key: "megabytes", value: .int(megabytes)),
                    (key: "maximum_items", value: .int(maximumItems)),
                    (
                        key: "note",
                        value: .string(
                            "peak_rss_mib is the process's peak resident memory (VmHWM), reset before each run; it"
                                + " includes the body built in memory"
                        )
                    ),
                    (key: "runs", value: .array(results)),
                ])
            )
        )
        output.flush()
    }

    private func measure(_ run: Run, configuration: Ingestor.Configuration) async throws -> JSONValue {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("taxlink-bench-feed-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let ingestor = Ingestor(storage: try SQLiteStore(path: path), configuration: configuration)
        Memory.resetPeak()
        let clock = ContinuousClock()
        let start = clock.now
        let answer: JSONValue
        var outcome = "stored"
        do {
            let summary = try await ingestor.ingest(
                source: try FeedSource(path: run.path, format: run.format),
                format: run.format,
                body: run.body,
                receivedAt: Timestamp(unixSeconds: 1_769_000_000)
            )
            answer = summary.json
        } catch let error as FeedError {
            outcome = "refused: \(error.message)"
            answer = .object(JSONObject([(key: "detail", value: .string(error.message))]))
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let peak = Memory.peakMiB()
        Output.progress("\(run.name): \(run.items) items, \(String(format: "%.2f", seconds)) s, peak \(peak) MiB")
        return .object(
            JSONObject([
                (key: "body", value: .string(run.name)),
                (key: "bytes", value: .int(run.body.count)),
                (key: "items", value: .int(run.items)),
                (key: "outcome", value: .string(outcome)),
                (key: "seconds", value: .number(String(format: "%.3f", seconds))),
                (key: "answer_bytes", value: .int(CanonicalJSON.encode(answer).count)),
                (key: "peak_rss_mib", value: .int(peak)),
            ])
        )
    }

    /// `{"orders": [{}, {}, …]}`: three bytes per bad item.
    private static func hostileEnvelope(_ size: Int) -> Run {
        var body = Array(#"{"orders": [{}"#.utf8)
        body.reserveCapacity(size)
        var items = 1
        while body.count + 5 <= size {
            body.append(contentsOf: ",{}".utf8)
            items += 1
        }
        body.append(contentsOf: "]}".utf8)
        return Run(name: "hostile-json-envelope", path: "shopee/orders", format: .json, body: body, items: items)
    }

    /// A generic CSV of two-byte rows, each a bad order.
    private static func hostileCSV(_ size: Int) -> Run {
        var body = Array("order_id,kind,completed_at,seller_id,seller_type,quantity,line_amount,buyer_paid\n".utf8)
        body.reserveCapacity(size)
        var items = 0
        while body.count + 2 <= size {
            body.append(UInt8(ascii: "0") + UInt8(items % 10))
            body.append(0x0A)
            items += 1
        }
        return Run(name: "hostile-csv", path: "tiki/orders", format: .csv, body: body, items: items)
    }

    /// A Shopee envelope of distinct, valid orders.
    private static func goodShopee(_ size: Int) -> Run {
        let feed = SyntheticFeed(platform: .shopee, orders: Int.max)
        var body = Array(#"{"orders": ["#.utf8)
        body.reserveCapacity(size)
        var items = 0
        while true {
            let order = Array(feed.line(items).utf8)
            guard body.count + order.count + 3 <= size else { break }
            if items > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: order)
            items += 1
        }
        body.append(contentsOf: "]}".utf8)
        return Run(name: "good-shopee-envelope", path: "shopee/orders", format: .json, body: body, items: items)
    }
}
