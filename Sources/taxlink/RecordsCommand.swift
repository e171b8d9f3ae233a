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
            let array = format == "json"
            if array { output.raw("[") }
            // The stored bodies are the canonical records: written as they are, never decoded.
            let query = RecordQuery(platform: platform, period: period, allRevisions: allRevisions)
            try await store.forEachRecordBody(query) { body in
                if array { output.raw(first ? "\n" : ",\n") }
                output.raw(body)
                if !array { output.raw("\n") }
                first = false
            }
            if array { output.line(first ? "]" : "\n]") }
            output.flush()
        }
    }
}
