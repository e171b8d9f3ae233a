import ArgumentParser
import TaxLinkCore
import TaxLinkStore

/// `taxlink records`: the normalised records exactly as they would be uploaded.
struct RecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "Print the normalised TransactionRecords (latest revision of each), quarantined ones included."
    )

    @OptionGroup var storage: StorageOptions

    @Option(help: "Only this platform.")
    var platform: String?

    @Option(help: "Only this tax period (YYYY-MM).")
    var period: String?

    @Flag(name: .customLong("all-revisions"), help: "Every revision, not only the latest.")
    var allRevisions = false

    @Option(help: "json (an array) or jsonl (one record a line).")
    var format: String = "json"

    func run() async throws {
        guard format == "json" || format == "jsonl" else { throw CommandFailure("--format: expected json or jsonl") }
        let period = try self.period.map { text in
            guard let period = TaxPeriod(text) else {
                throw CommandFailure("--period: expected YYYY-MM, found '\(text)'")
            }
            return period
        }
        try await storage.withStores { stores in
            let store = stores.feeds
            var output = Output()
            var first = true
            if format == "json" { output.raw("[") }
            try await store.forEachRecord(RecordQuery(platform: platform, period: period, allRevisions: allRevisions)) {
                if format == "json" {
                    output.raw(first ? "\n" : ",\n")
                    output.raw($0.body)
                } else {
                    output.line($0.body)
                }
                first = false
            }
            if format == "json" { output.line(first ? "]" : "\n]") }
            output.flush()
        }
    }
}
