import Foundation
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

@Suite("Background reconciler")
struct ServiceTests {
    /// Waits for the service's "reconciled" log event, not for time.
    @Test(.timeLimit(.minutes(1)))
    func aStoredFeedTriggersADebouncedReconciliation() async throws {
        try await withTemporaryStore { store in
            let reconciler = LoggedReconciler(store: store) {
                $0.debounce = .milliseconds(20)
                $0.runAtStart = false
            }
            try await reconciler.whileRunning {
                try await store.push([
                    Order("1") {
                        $0.vat = 0; $0.pit = 0
                    }
                ])
                for _ in 0..<5 { reconciler.service.feedStored() }
                #expect(await reconciler.first { $0 == "reconciled" || $0.hasPrefix("reconciliation failed") } == "reconciled")
                let found = try await store.active()
                #expect(found.codes == [.withholdingMissing])
                #expect(found.first?.detectedAt == sampleAsOf)
            }
        }
    }
}
