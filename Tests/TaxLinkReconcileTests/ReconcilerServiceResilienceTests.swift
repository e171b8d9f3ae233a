import Foundation
import Logging
import ServiceLifecycle
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
            let (messages, continuation) = AsyncStream.makeStream(of: String.self)
            var configuration = ReconcilerService.Configuration()
            configuration.interval = nil
            let service = ReconcilerService(
                storage: store,
                configuration: configuration,
                logger: Logger(label: "test") { _ in MessageLogHandler(continuation: continuation) },
                clock: { sampleAsOf }
            )
            let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var outcome: String?
                for await message in messages
                where message.hasPrefix("some stored data") || message.hasPrefix("reconciliation failed") {
                    outcome = message
                    break
                }
                #expect(outcome == "some stored data could not be reconciled; see the RECONCILE_ERROR findings")
                #expect(try await store.active().with(.reconcileError).records == ["tiki:sale:1", "tiki:sale:2"])
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
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
            let (messages, continuation) = AsyncStream.makeStream(of: String.self)
            var configuration = ReconcilerService.Configuration()
            configuration.interval = nil
            configuration.retryDelay = .milliseconds(10)
            let service = ReconcilerService(
                storage: store,
                configuration: configuration,
                logger: Logger(label: "test") { _ in MessageLogHandler(continuation: continuation) },
                clock: { sampleAsOf }
            )
            let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var failed = false
                for await message in messages {
                    if message == "reconciliation failed; retrying", !failed {
                        failed = true
                        try PoisonedDatabaseTests.plant(path, "ALTER TABLE declarations_away RENAME TO declarations")
                    }
                    if message == "reconciled" { break }
                }
                #expect(failed)
                #expect(try await store.active().codes == [.withholdingMissing])
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    /// Shutdown that interrupts a run is a normal end, not a failure logged as an error (before, every
    /// SIGTERM of `taxlink serve` logged "reconciliation failed; retrying error=CancellationError()").
    @Test(.timeLimit(.minutes(1)))
    func shutdownDuringARunIsNotAFailure() async throws {
        try await withTemporaryStore { store, _ in
            try await PoisonedDatabaseTests.twoSales(store)
            let (messages, continuation) = AsyncStream.makeStream(of: String.self)
            var configuration = ReconcilerService.Configuration()
            configuration.interval = nil
            let service = ReconcilerService(
                storage: store,
                configuration: configuration,
                logger: Logger(label: "test") { _ in MessageLogHandler(continuation: continuation) },
                clock: { sampleAsOf }
            )
            // Cancelled before it starts: the run at start meets the cancellation in the store.
            let run = Task { try await service.run() }
            run.cancel()
            try await run.value
            continuation.finish()
            var logged: [String] = []
            for await message in messages { logged.append(message) }
            #expect(!logged.contains("reconciliation failed; retrying"), "\(logged)")
        }
    }
}

/// Hands every logged message to a stream, so a test waits for an event instead of sleeping.
private struct MessageLogHandler: LogHandler {
    let continuation: AsyncStream<String>.Continuation
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {
        continuation.yield(message.description)
    }
}
