import ArgumentParser
import Foundation
import Logging
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// `taxlink bench-reconcile --orders N`: fills a fresh store (SQLite by default, or `--database`)
/// with synthetic sales, refunds, settlements and declarations (with a few per cent of every kind of
/// discrepancy), then times a full reconciliation, a re-run that changes nothing, and reports the
/// peak resident memory.
struct BenchReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-reconcile",
        abstract: "Benchmark reconciliation on synthetic data in a fresh store (build with -c release)."
    )

    @Option(help: "Sales to generate (refunds, settlements and declarations follow).") var orders = 100_000
    @Option(help: "Sellers per platform.") var sellers = 2_500
    @OptionGroup var database: BenchDatabaseOptions
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Worker threads for the per-record rules (default: one per core).") var workers: Int?
    @Flag(help: "Reconcile the --database as it is (a sqlite: file, or --given-database) instead of generating data.")
    var reuse = false

    func validate() throws {
        let sqlitePath: String? =
            switch try database.url.map({ try DatabaseURL(parsing: $0, environment: [:]) }) {
            case .sqlite(let path): path
            default: nil
            }
        if reuse, database.url == nil || (sqlitePath == nil && !database.givenDatabase) {
            throw ValidationError("--reuse needs --database sqlite:PATH, or a postgres:// URL with --given-database")
        }
        if let sqlitePath, FileManager.default.fileExists(atPath: sqlitePath) != reuse {
            throw ValidationError(reuse ? "\(sqlitePath) does not exist" : "\(sqlitePath) exists; give a new file, or --reuse it")
        }
    }

    func run() async throws {
        try await BenchDatabase.withTemporaryFolder("taxlink-bench-reconcile") { folder in
            try await BenchDatabase.with(database, folder: folder, logger: .cli) { stores in try await bench(stores[0]) }
        }
    }

    private func bench(_ store: BenchStore) async throws {
        let clock = ContinuousClock()
        var generator = SyntheticData(seed: seed, sellersPerPlatform: max(1, sellers))
        let generated = try await clock.measure {
            if !reuse { try await generator.fill(store, orders: max(1, orders)) }
        }
        if !reuse { Output.progress("generated \(orders) orders in \(seconds(generated))") }
        let generationPeak = Memory.peakMiB()
        Memory.resetPeak()
        let asOf = SyntheticData.asOf
        var configuration = Reconciler.Configuration()
        if let workers { configuration.workers = max(1, workers) }
        let reconciler = Reconciler(storage: store, configuration: configuration)
        var findings: [FindingContent] = []
        let compute = try await clock.measure { findings = try await reconciler.findings(asOf: asOf) }
        var summary: ReconciliationSummary?
        // As `taxlink reconcile` and the background reconciler run it: the re-run finds nothing changed.
        let full = try await clock.measure { summary = try await reconciler.reconcileExclusively(asOf: asOf).value }
        let rerun = try await clock.measure { _ = try await reconciler.reconcileExclusively(asOf: asOf) }
        let statistics = try await store.statistics()
        var output = Output()
        output.json(
            .object([
                "orders": reuse ? .null : .int(orders),
                "records": .int(statistics.records),
                "settlements": .int(statistics.settlements),
                "findings": .int(findings.count),
                "generate_seconds": .number(seconds(generated)),
                "compute_seconds": .number(seconds(compute)),
                "reconcile_seconds": .number(seconds(full)),
                "rerun_seconds": .number(seconds(rerun)),
                "peak_rss_mib_generate": .int(generationPeak),
                "peak_rss_mib_reconcile": .int(Memory.peakMiB()),
                "counts": summary?.countsJSON ?? .null,
            ])
        )
        output.flush()
    }

    private func seconds(_ duration: Duration) -> String {
        let millis = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "\(millis / 1000).\(String(millis % 1000).leftPadded(3))"
    }
}

/// Peak resident memory from `/proc/self/status`.
enum Memory {
    /// `VmHWM` in MiB (0 where `/proc` is missing).
    static func peakMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes / 1024
        }
        return 0
    }

    /// Resets the peak (Linux: `5` to `/proc/self/clear_refs`).
    static func resetPeak() {
        FileManager.default.createFile(atPath: "/proc/self/clear_refs", contents: Data("5".utf8))
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
