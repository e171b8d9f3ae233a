import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MinistryMock
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkOutbox
import TaxLinkReconcile
import TaxLinkSigning
import TaxLinkStore

/// `taxlink demo`: the whole flow on the bundled sample feeds, against the mock ministry started
/// in process with a PKI made on the fly, on a fresh embedded database.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Ingest the bundled sample feeds, seal, sign and deliver them to an in-process mock ministry, verify."
    )

    @Option(help: "Folder of the sample feeds.")
    var feeds = "mocks/feeds"

    @Option(help: "Working folder (replaced on every run).")
    var workdir = "taxlink-data/demo"

    static let pushes: [(String, String)] = [
        ("shopee/orders", "shopee-orders.json"), ("shopee/returns", "shopee-returns.json"),
        ("lazada/orders", "lazada-orders.json"), ("tiktokshop/orders", "tiktokshop-orders.json"),
        ("tiki/orders", "tiki-orders.csv"), ("shopee/declarations", "declarations-shopee.json"),
        ("lazada/declarations", "declarations-lazada.json"),
        ("tiktokshop/declarations", "declarations-tiktokshop.json"),
        ("tiki/declarations", "declarations-tiki.json"), ("vnpay/settlements", "vnpay-settlements.csv"),
    ]

    func run() async throws {
        let folder = URL(fileURLWithPath: workdir)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("taxlink.sqlite").path)

        Output.progress("1. ingesting the sample feeds from \(feeds)")
        let received = Timestamp.parseISO8601("2026-02-10T02:00:00Z")!
        let ingestor = Ingestor(storage: store)
        for (path, file) in Self.pushes {
            let url = URL(fileURLWithPath: feeds).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CommandFailure("cannot read \(url.path); run the demo from the repository's root or pass --feeds")
            }
            let format: FeedSource.BodyFormat = file.hasSuffix(".csv") ? .csv : .json
            let summary = try await ingestor.ingest(
                source: try FeedSource(path: path, format: format),
                format: format,
                body: Array(data),
                receivedAt: received
            )
            Output.progress(
                "   \(path): \(summary.received) received, \(summary.accepted) accepted, \(summary.rejected.count) rejected"
            )
        }

        let asOf = Timestamp.parseISO8601("2026-02-25T00:00:00Z")!
        Output.progress("2. reconciling against settlements and declarations, as of \(asOf.iso8601)")
        let reconciliation = try await Reconciler(storage: store).reconcile(asOf: asOf)
        for (code, count) in reconciliation.counts.sorted(by: { $0.key < $1.key }) where count > 0 {
            Output.progress("   \(code.rawValue): \(count)")
        }

        Output.progress("3. making a development PKI (CA, sender MST 0100233488, mock ministry)")
        let pki = try DevelopmentPKI.generate(taxCode: "0100233488")
        try pki.write(to: folder.appendingPathComponent("keys"))

        Output.progress("4. starting the mock ministry on loopback and delivering")
        var logger = Logger(label: "taxlink-demo")
        logger.logLevel = .warning
        let uploaderLogger = logger
        let report = try await withInProcessMinistry(
            pki: pki,
            databasePath: folder.appendingPathComponent("ministry.sqlite").path
        ) { port in
            try await deliver(store: store, pki: pki, port: port, asOf: asOf, logger: uploaderLogger)
        }
        var shown = report
        shown.database = "sqlite:" + folder.appendingPathComponent("taxlink.sqlite").path
        print(shown.text)
        if !report.succeeded { throw CommandFailure("the demo did not deliver everything") }
    }

    private func deliver(
        store: SQLiteStore,
        pki: DevelopmentPKI,
        port: Int,
        asOf: Timestamp,
        logger: Logger
    ) async throws -> DemoReport {
        var configuration = OutboxConfiguration(ministryURL: "http://127.0.0.1:\(port)")
        configuration.batchSize = 50
        return try await OutboxRuntime.withRuntime(
            storage: store,
            configuration: configuration,
            identity: pki.senderIdentity,
            ministryTrust: [pki.caCertificate],
            logger: logger
        ) { runtime in
            let emptied = try await runtime.uploader.runUntilEmpty(deadline: Date().addingTimeInterval(120))
            Output.progress("5. verifying every stored batch, signature and receipt")
            let audit = try await runtime.audit.run()
            let statistics = try await store.statistics()
            let status = try await store.outboxStatus(now: .now)
            let rejections = try await store.ministryRejections()
            let findings = try await Reconciler(storage: store).reconcile(asOf: asOf).counts.values.reduce(0, +)
            return DemoReport(
                findings: findings,
                records: statistics.records,
                quarantined: statistics.quarantined,
                delivered: status.states[.delivered]?.count ?? 0,
                deliveredRecords: status.states[.delivered]?.records ?? 0,
                dead: status.states[.dead]?.count ?? 0,
                rejected: rejections.count,
                audit: audit,
                emptied: emptied
            )
        }
    }
}

/// What the demo shows at the end.
struct DemoReport: Sendable {
    /// Discrepancies found after delivery (ministry rejections included).
    var findings: Int
    /// The demo's database, for the commands the summary suggests.
    var database = ""
    var records: Int
    var quarantined: Int
    var delivered: Int
    var deliveredRecords: Int
    var dead: Int
    var rejected: Int
    var audit: OutboxAudit.Report
    var emptied: Bool

    var succeeded: Bool { emptied && dead == 0 && audit.findings.isEmpty }

    var text: String {
        """

        TaxLink demo — summary
          records stored (latest revisions): \(records) (\(quarantined) quarantined, held back)
          batches delivered:                 \(delivered), carrying \(deliveredRecords) records
          records rejected by the ministry:  \(rejected)
          discrepancies for the analysts:    \(findings) (taxlink report discrepancies --database \(database))
          dead batches:                      \(dead)
          audit: \(audit.batchesChecked) batches and \(audit.receiptsChecked) signed receipts re-verified, \
        \(audit.findings.count) problem(s)
          \(succeeded ? "every ready record was delivered exactly once, with a verified receipt" : "NOT everything was delivered")
        """
    }
}
