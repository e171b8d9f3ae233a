import ArgumentParser

/// The `taxlink` command line: every command is a thin call into the library targets.
@main
struct TaxLink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taxlink",
        abstract: "Connects e-commerce platforms to the finance ministry's tax-data intake.",
        subcommands: [
            ServeCommand.self, IngestCommand.self, FeedsCommand.self, RecordsCommand.self, UploadCommand.self, OutboxCommand.self,
            KeysCommand.self, DemoCommand.self, ReconcileCommand.self, ReportCommand.self, BenchIngestCommand.self, BenchServeCommand.self, BenchFeedMemoryCommand.self, BenchUploadCommand.self,
            BenchReconcileCommand.self, DbCommand.self,
        ]
    )
}
