import ArgumentParser
import Foundation
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// `taxlink report …`: the discrepancy report, the period schedule, and status changes of findings.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for tax analysts: discrepancies, the 01-1/BK schedule, status changes.",
        subcommands: [DiscrepanciesReportCommand.self, ScheduleReportCommand.self, StatusCommand.self]
    )
}

/// `taxlink report discrepancies [filters] [--sort amount|detected] [--format json|jsonl|csv] [--limit N --offset K]`.
struct DiscrepanciesReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discrepancies",
        abstract: "The stored findings of the last reconciliation (every status unless --status is given).",
        discussion: "--code, --severity and --status take one value or several separated by commas."
    )

    @OptionGroup var storage: StorageOptions

    @Option(help: "Only this platform.") var platform: String?
    @Option(help: "Only this tax period (YYYY-MM).") var period: String?
    @Option(help: "Only these codes (e.g. WITHHOLDING_MISMATCH).") var code: String?
    @Option(help: "Only these severities: critical, warning, info.") var severity: String?
    @Option(help: "Only these statuses: open, acknowledged, resolved.") var status: String?
    @Option(help: "Only this platform_seller_id.") var seller: String?
    @Option(help: "amount (amount at risk, largest first; default) or detected (newest first).") var sort: String?
    @Option(help: "json (an array; default), jsonl or csv.") var format: String = "json"
    @Option(help: "At most this many findings.") var limit: Int?
    @Option(help: "Skip this many findings first.") var offset: Int?

    func run() async throws {
        guard let format = ReportFormat(rawValue: format.lowercased()) else {
            throw CommandFailure("--format: expected json, jsonl or csv, found '\(self.format)'")
        }
        var parameters: [String: String] = [:]
        parameters["platform"] = platform
        parameters["period"] = period
        parameters["code"] = code
        parameters["severity"] = severity
        parameters["status"] = status
        parameters["seller"] = seller
        parameters["sort"] = sort
        parameters["limit"] = limit.map(String.init)
        parameters["offset"] = offset.map(String.init)
        let query: FindingQuery
        do {
            query = try FindingQuery(parameters: parameters)
        } catch {
            throw CommandFailure("--\(error.message)")
        }
        try await storage.withStores { stores in
            let store = stores.findings
            let page = try await store.findings(query)
            FileHandle.standardOutput.write(Data(DiscrepancyReport.render(page.findings, format: format)))
        }
    }
}

/// `taxlink report schedule --platform P --period YYYY-MM [--format json|csv|xml]`.
struct ScheduleReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "The schedule 01-1/BK-CNKD-TMĐT computed from the stored records of one platform and period."
    )

    @OptionGroup var storage: StorageOptions

    @Option(help: "The platform.") var platform: String
    @Option(help: "The tax period (YYYY-MM).") var period: String
    @Option(help: "json (default), csv or xml.") var format: String = "json"

    func run() async throws {
        guard let format = ScheduleFormat(rawValue: format.lowercased()) else {
            throw CommandFailure("--format: expected json, csv or xml, found '\(self.format)'")
        }
        guard let period = TaxPeriod(period) else {
            throw CommandFailure("--period: expected YYYY-MM, found '\(self.period)'")
        }
        try await storage.withStores { stores in
            let store = stores.findings
            let schedule = try await PeriodSchedule.compute(storage: store, platform: platform.lowercased(), period: period)
            FileHandle.standardOutput.write(Data(schedule.render(format)))
        }
    }
}

/// `taxlink report status ID --status acknowledged|resolved|open --note TEXT --actor NAME`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Change a finding's status (open → acknowledged → resolved, or reopen) with a note."
    )

    @OptionGroup var storage: StorageOptions

    @Argument(help: "The finding's id.") var id: String
    @Option(help: "acknowledged, resolved or open.") var status: String
    @Option(help: "Why (required).") var note: String
    @Option(help: "Who makes the change (default: $USER).") var actor: String?

    func run() async throws {
        try await storage.withStores { stores in
            let store = stores.findings
            let actor = actor ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
            let finding: StoredFinding
            do {
                finding = try await FindingWorkflow(storage: store).change(id: id, to: status, note: note, actor: actor)
            } catch let error as ReconcileError {
                throw CommandFailure(error.message)
            }
            var output = Output()
            output.json(DiscrepancyReport.json(finding))
            output.flush()
        }
    }
}
