import ArgumentParser
import Foundation
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// `taxlink reconcile [--as-of RFC3339]`: runs reconciliation over everything stored and prints the
/// number of findings per code as one JSON object (`{"CODE": n, …}`, only codes found).
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Reconcile everything stored and print the number of findings per code (JSON).",
        discussion: """
            Findings are stored with stable ids: re-running with the same --as-of changes nothing; findings \
            that new data no longer supports are resolved as superseded. What changed goes to stderr.
            """
    )

    @OptionGroup var storage: StorageOptions

    @Option(name: .customLong("as-of"), help: "The reconciliation time (RFC 3339); default now.")
    var asOf: String?

    func run() async throws {
        let asOf = try parseTime(self.asOf, option: "--as-of") ?? .now
        try await storage.withStores { stores in
            let store = stores.findings
            let started = ContinuousClock.now
            let summary: ReconciliationSummary
            switch try await Reconciler(storage: store).reconcileExclusively(asOf: asOf) {
            case .ran(let ran): summary = ran
            case .held(let holder): throw CommandFailure(Self.heldMessage(holder: holder))
            }
            Output.progress(
                "reconciled as of \(asOf.iso8601) in \(ContinuousClock.now - started) (computing \(summary.computeDuration), "
                    + "storing \(summary.storeDuration)): \(summary.total) findings, "
                    + "\(summary.sync.opened) new, \(summary.sync.reopened) reopened, \(summary.sync.updated) updated, "
                    + "\(summary.sync.superseded) superseded, \(summary.releasedRecords) records released"
            )
            var output = Output()
            output.json(summary.countsJSON)
            output.flush()
        }
    }

    /// The one line for a run another process holds: who holds it and what to do.
    static func heldMessage(holder: String) -> String {
        "another reconciliation is running (held by \(holder)); nothing was changed: "
            + "wait for it to finish and run `taxlink reconcile` again (a `taxlink serve` reconciles on its own)"
    }
}

/// Parses an optional RFC 3339 option.
func parseTime(_ text: String?, option: String) throws -> Timestamp? {
    guard let text else { return nil }
    guard let instant = Timestamp.parseISO8601(text) else {
        throw CommandFailure("\(option): '\(text)' is not an RFC 3339 time with a zone")
    }
    return instant
}
