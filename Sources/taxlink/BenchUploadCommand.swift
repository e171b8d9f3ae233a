import ArgumentParser
import Foundation
import Logging
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore

/// `taxlink bench-upload --records N`: delivers N synthetic records to the mock ministry on
/// loopback and splits the time between the connector's own work and waiting on the ministry.
/// The uploaders seal ahead of sending, as `taxlink upload` does; the sealers' own time and
/// throughput are reported beside (`--seal-first` seals everything first, timed alone).
/// With `--uploaders N`, N uploaders in this process deliver at once, each with a store (and so a
/// connection pool) of its own on one database, as N uploader processes would.
struct BenchUploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-upload",
        abstract: "Benchmark sealing, signing and delivery to the mock ministry on loopback (build with -c release)."
    )

    @Option(help: "Records to deliver.") var records = 200_000
    @Option(name: .customLong("batch-size"), help: "Records per batch.") var batchSize = 1_000
    @Option(help: "Batches sent at once per uploader (1 makes the time split exact).") var concurrency = 1
    @Option(help: "Uploaders delivering at once, each with a store and connection pool of its own.")
    var uploaders = 1
    @Flag(name: .customLong("seal-first"), help: "Seal every record before sending (timed alone).")
    var sealFirst = false
    @OptionGroup var database: BenchDatabaseOptions

    func run() async throws {
        let logger = Logger.cli
        let report = try await BenchDatabase.withTemporaryFolder("taxlink-bench-upload") { folder in
            try await BenchDatabase.with(database, count: max(1, uploaders), folder: folder, logger: logger) { stores in
                try await bench(stores: stores, folder: folder, logger: logger)
            }
        }
        var output = Output()
        output.json(report)
        output.flush()
    }

    private func bench(stores: [BenchStore], folder: URL, logger: Logger) async throws -> JSONValue {
        let store = stores[0]
        Output.progress("ingesting \(records) synthetic records")
        _ = try await Ingestor(storage: store).ingestStream(
            source: FeedSource(path: "shopee/orders", format: .ndjson),
            chunks: SyntheticFeed(platform: .shopee, orders: max(1, records)),
            receivedAt: Timestamp(unixSeconds: 1_769_000_000)
        )
        let pki = try DevelopmentPKI.generate(taxCode: "0100233488")
        var configuration = OutboxConfiguration(ministryURL: "")
        configuration.batchSize = batchSize
        configuration.concurrency = max(1, concurrency)
        configuration.idleInterval = 0.01
        let base = configuration
        let sealFirst = self.sealFirst
        let clock = ContinuousClock()
        return try await withInProcessMinistry(
            pki: pki,
            databasePath: folder.appendingPathComponent("ministry.sqlite").path
        ) {
            port in
            var configured = base
            configured.ministryURL = "http://127.0.0.1:\(port)"
            return try await Self.withRuntimes(stores[...], configured, pki: pki, logger: logger) { runtimes in
                let sealingFirst = try await clock.measure {
                    if sealFirst { _ = try await runtimes[0].sealer.sealAvailable() }
                }
                let delivering = try await clock.measure {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for runtime in runtimes {
                            group.addTask {
                                _ = try await runtime.uploader.runUntilEmpty(deadline: Date().addingTimeInterval(3600))
                            }
                        }
                        try await group.waitForAll()
                    }
                }
                var waiting = Duration.zero
                var sealing = Duration.zero
                var sealed = (batches: 0, records: 0)
                for runtime in runtimes {
                    waiting += await runtime.uploader.timings.waiting
                    sealing += await runtime.sealer.timings.sealing
                    sealed.batches += await runtime.sealer.timings.batches
                    sealed.records += await runtime.sealer.timings.records
                }
                let elapsed = sealingFirst + delivering
                // Uploader-seconds: waiting is summed over the uploaders, so the share compares it
                // with the time every uploader was there for.
                let total = elapsed * runtimes.count
                let delivered = try await store.outboxStatus(now: .now).states[.delivered]?.records ?? 0
                return .object([
                    "uploaders": .int(runtimes.count),
                    "sealing": .string(sealFirst ? "first" : "ahead of sending"),
                    "records_delivered": .int(delivered),
                    "batches": .int(sealed.batches),
                    "seconds": .number(Self.text(elapsed)),
                    "records_per_second": .int(Self.rate(delivered, elapsed)),
                    "seal_and_sign_seconds": .number(Self.text(sealing)),
                    "seal_records_per_second": .int(Self.rate(sealed.records, sealing)),
                    "waiting_on_ministry_seconds": .number(Self.text(waiting)),
                    "connector_share": .number(
                        String(
                            format: "%.3f",
                            max(0, Self.seconds(total) - Self.seconds(waiting)) / max(Self.seconds(total), 1e-9)
                        )
                    ),
                    "peak_rss_mib": .int(Memory.peakMiB()),
                ])
            }
        }
    }

    /// Runs `body` with one outbox runtime per store (each its own uploader and lease owner).
    private static func withRuntimes<T: Sendable>(
        _ stores: ArraySlice<BenchStore>,
        _ configuration: OutboxConfiguration,
        pki: DevelopmentPKI,
        logger: Logger,
        _ body: ([OutboxRuntime]) async throws -> T
    ) async throws -> T {
        guard let store = stores.first else { return try await body([]) }
        return try await OutboxRuntime.withRuntime(
            storage: store,
            configuration: configuration,
            identity: pki.senderIdentity,
            ministryTrust: [pki.caCertificate],
            logger: logger
        ) { runtime in
            try await withRuntimes(stores.dropFirst(), configuration, pki: pki, logger: logger) { rest in
                try await body([runtime] + rest)
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func text(_ duration: Duration) -> String { String(format: "%.3f", seconds(duration)) }

    static func rate(_ count: Int, _ duration: Duration) -> Int { Int(Double(count) / max(seconds(duration), 1e-9)) }
}
