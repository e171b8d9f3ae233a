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
struct BenchUploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-upload",
        abstract: "Benchmark sealing, signing and delivery to the mock ministry on loopback (build with -c release)."
    )

    @Option(help: "Records to deliver.") var records = 200_000
    @Option(name: .customLong("batch-size"), help: "Records per batch.") var batchSize = 1_000
    @Option(help: "Batches sent at once (1 makes the time split exact).") var concurrency = 1

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taxlink-bench-upload-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("taxlink.sqlite").path)
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
        let logger = Logger.cli
        let base = configuration
        let clock = ContinuousClock()
        let report = try await withInProcessMinistry(
            pki: pki,
            databasePath: folder.appendingPathComponent("ministry.sqlite").path
        ) {
            port in
            var configured = base
            configured.ministryURL = "http://127.0.0.1:\(port)"
            return try await OutboxRuntime.withRuntime(
                storage: store,
                configuration: configured,
                identity: pki.senderIdentity,
                ministryTrust: [pki.caCertificate],
                logger: logger
            ) { runtime -> JSONValue in
                var batches = 0
                let sealing = try await clock.measure { batches = try await runtime.sealer.sealAvailable().count }
                let delivering = try await clock.measure {
                    _ = try await runtime.uploader.runUntilEmpty(deadline: Date().addingTimeInterval(3600))
                }
                let waiting = await runtime.uploader.timings.waiting
                let total = sealing + delivering
                let delivered = try await store.outboxStatus(now: .now).states[.delivered]?.records ?? 0
                return .object([
                    "records_delivered": .int(delivered),
                    "batches": .int(batches),
                    "seal_and_sign_seconds": .number(Self.text(sealing)),
                    "deliver_seconds": .number(Self.text(delivering)),
                    "records_per_second": .int(Int(Double(delivered) / max(Self.seconds(total), 1e-9))),
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
        var output = Output()
        output.json(report)
        output.flush()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func text(_ duration: Duration) -> String { String(format: "%.3f", seconds(duration)) }
}
