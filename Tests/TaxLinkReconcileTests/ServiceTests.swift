import Foundation
import Logging
import ServiceLifecycle
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import Testing

@Suite("Background reconciler")
struct ServiceTests {
    @Test func aStoredFeedTriggersADebouncedReconciliation() async throws {
        try await withTemporaryStore { store in
            var configuration = ReconcilerService.Configuration()
            configuration.debounce = .milliseconds(20)
            configuration.interval = nil
            let service = ReconcilerService(
                storage: store,
                configuration: configuration,
                logger: Logger(label: "test"),
                clock: { sampleAsOf }
            )
            let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await store.push([
                    Order("1") {
                        $0.vat = 0; $0.pit = 0
                    }
                ])
                for _ in 0..<5 { service.feedStored() }
                var found: [StoredFinding] = []
                for _ in 0..<200 where found.isEmpty {
                    try await Task.sleep(for: .milliseconds(25))
                    found = try await store.active()
                }
                #expect(found.codes == [.withholdingMissing])
                #expect(found.first?.detectedAt == sampleAsOf)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
