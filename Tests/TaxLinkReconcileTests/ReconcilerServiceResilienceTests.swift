import Foundation
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

/// The background reconciler never takes the process down: poisoned data becomes findings, and a run that
/// fails is logged and tried again. Tests wait for log events, not for time.
@Suite("Background reconciler on a poisoned or failing database")
struct ReconcilerServiceResilienceTests {
    @Test(.timeLimit(.minutes(1)))
    func theBackgroundReconcilerReportsPoisonedDataAndKeepsRunning() async throws {
        try await withTemporaryStore { store, path in
            try await PoisonedDatabaseTests.twoSales(store)
            try PoisonedDatabaseTests.plant(
                path,
                "UPDATE records SET body = replace(body, '1000000', '6000000000000000000')"
            )
            let reconciler = LoggedReconciler(store: store)
            try await reconciler.whileRunning {
                let outcome = await reconciler.first {
                    $0.hasPrefix("some stored data") || $0.hasPrefix("reconciliation failed")
                }
                #expect(outcome == "some stored data could not be reconciled; see the RECONCILE_ERROR findings")
                let unreconciled = try await store.active().with(.reconcileError)
                #expect(unreconciled.records == ["tiki:sale:1", "tiki:sale:2"])
            }
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func theBackgroundReconcilerRetriesAFailedRun() async throws {
        try await withTemporaryStore { store, path in
            try await store.push([
                Order("1") {
                    $0.vat = 0; $0.pit = 0
                }
            ])
            // A run fails while the table is gone, then succeeds once it is back, with no new feed.
            try PoisonedDatabaseTests.plant(path, "ALTER TABLE declarations RENAME TO declarations_away")
            let reconciler = LoggedReconciler(store: store) { $0.retryDelay = .milliseconds(10) }
            try await reconciler.whileRunning {
                var failed = false
                for await message in reconciler.messages {
                    if message == "reconciliation failed; retrying", !failed {
                        failed = true
                        try PoisonedDatabaseTests.plant(path, "ALTER TABLE declarations_away RENAME TO declarations")
                    }
                    if message == "reconciled" { break }
                }
                #expect(failed)
                let found = try await store.active()
                #expect(found.codes == [.withholdingMissing])
            }
        }
    }

    /// Shutdown that interrupts a run is a normal end, not a failure logged as an error (before, every
    /// SIGTERM of `taxlink serve` logged "reconciliation failed; retrying error=CancellationError()").
    @Test(.timeLimit(.minutes(1)))
    func shutdownDuringARunIsNotAFailure() async throws {
        try await withTemporaryStore { store, _ in
            try await PoisonedDatabaseTests.twoSales(store)
            let reconciler = LoggedReconciler(store: store)
            // Cancelled before it starts: the run at start meets the cancellation in the store.
            let run = Task { try await reconciler.service.run() }
            run.cancel()
            try await run.value
            reconciler.continuation.finish()
            var logged: [String] = []
            for await message in reconciler.messages { logged.append(message) }
            #expect(!logged.contains("reconciliation failed; retrying"), "\(logged)")
        }
    }
}
