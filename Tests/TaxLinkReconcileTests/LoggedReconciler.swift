import Logging
import ServiceLifecycle
import TaxLinkReconcile
import TaxLinkStore

/// A background reconciler over a test store whose log messages come out of ``messages``, so a test
/// waits for an event instead of sleeping. Runs only when triggered or at start (no interval).
struct LoggedReconciler {
    let service: ReconcilerService
    /// Every message the service logs, in order.
    let messages: AsyncStream<String>
    /// Ends ``messages`` (for a test that collects all of them after the service stopped).
    let continuation: AsyncStream<String>.Continuation

    init(store: SQLiteStore, configure: (inout ReconcilerService.Configuration) -> Void = { _ in }) {
        let (messages, continuation) = AsyncStream.makeStream(of: String.self)
        var configuration = ReconcilerService.Configuration()
        configuration.interval = nil
        configure(&configuration)
        service = ReconcilerService(
            storage: store,
            configuration: configuration,
            logger: Logger(label: "test") { _ in MessageLogHandler(continuation: continuation) },
            clock: { sampleAsOf }
        )
        self.messages = messages
        self.continuation = continuation
    }

    /// Runs the service in a service group while `body` runs, then shuts it down gracefully.
    func whileRunning(_ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Waits for the first logged message that `matches` (`nil` if the stream ended first).
    func first(where matches: (String) -> Bool) async -> String? {
        for await message in messages where matches(message) { return message }
        return nil
    }
}

/// Hands every logged message to a stream, so a test waits for an event instead of sleeping.
struct MessageLogHandler: LogHandler {
    let continuation: AsyncStream<String>.Continuation
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        continuation.yield(event.message.description)
    }
}
