import Foundation
import Hummingbird
import Logging
import MinistryMock
import TaxLinkSigning

/// Runs the mock ministry in this process (state in `databasePath`, trusting the PKI's CA) while
/// `body` runs, and passes `body` the port it listens on.
func withInProcessMinistry<T: Sendable>(
    pki: DevelopmentPKI,
    databasePath: String,
    _ body: @Sendable (Int) async throws -> T
) async throws -> T {
    var logger = Logger(label: "ministry-mock")
    logger.logLevel = .critical
    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    var ministry = MinistryConfiguration(
        databasePath: databasePath,
        trustAnchors: [pki.caCertificate],
        identity: pki.ministryIdentity
    )
    ministry.port = 0
    ministry.onServerRunning = { port in portContinuation.yield(port) }
    let app = try await buildMinistryApplication(configuration: ministry, logger: logger)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CommandFailure("the mock ministry did not start") }
        let result = try await body(port)
        group.cancelAll()
        return result
    }
}
