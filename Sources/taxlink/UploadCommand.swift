import ArgumentParser
import Foundation
import Logging
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkStore

/// `taxlink upload`: seal ready records and deliver them.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Seal ready records into signed batches and deliver them to the ministry."
    )

    @OptionGroup var storage: StorageOptions
    @OptionGroup var uploader: UploaderOptions

    @Flag(name: .customLong("until-empty"), help: "Return once everything is delivered or dead.")
    var untilEmpty = false

    @Option(name: .customLong("max-seconds"), help: "Stop after this many seconds.")
    var maxSeconds: Double?

    func run() async throws {
        try await storage.withStores { stores in
            let store = stores.outbox
            let (identity, trust) = try uploader.keys()
            let configuration = try uploader.configuration()
            let deadline = maxSeconds.map { configuration.clock.now().addingTimeInterval($0) }
            let (emptied, dead) = try await OutboxRuntime.withRuntime(
                storage: store,
                configuration: configuration,
                identity: identity,
                ministryTrust: trust,
                logger: Logger.cli
            ) { runtime in
                let emptied: Bool
                if untilEmpty || deadline != nil {
                    emptied = try await runtime.uploader.runUntilEmpty(deadline: deadline)
                } else {
                    try await runtime.uploader.run()
                    emptied = true
                }
                return (emptied, await runtime.uploader.outcomes.dead)
            }
            var output = Output()
            output.json(try await store.outboxStatus(now: .now).json)
            output.flush()
            if !dead.isEmpty {
                for batch in dead { Output.progress("dead: batch \(batch.batchID): \(batch.reason)") }
                throw CommandFailure(
                    "\(dead.count) batch(es) went dead (see above); fix the cause, then `taxlink outbox requeue --dead`"
                )
            }
            if untilEmpty && !emptied { throw CommandFailure("stopped at --max-seconds with batches still to send") }
        }
    }
}

extension Logger {
    /// The command line's logger: warnings and worse on stderr unless LOG_LEVEL says otherwise.
    static var cli: Logger {
        var logger = Logger(label: "taxlink")
        logger.logLevel =
            ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }
}
