import ArgumentParser
import Foundation
import Logging
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkStore

/// `taxlink upload`: seal ready records and deliver them.
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload", abstract: "Seal ready records into signed batches and deliver them to the ministry.")

    @OptionGroup var storage: StorageOptions
    @OptionGroup var uploader: UploaderOptions

    @Flag(name: .customLong("until-empty"), help: "Return once everything is delivered or dead.")
    var untilEmpty = false

    @Option(name: .customLong("max-seconds"), help: "Stop after this many seconds.")
    var maxSeconds: Double?

    func run() async throws {
        let store = try storage.openStore()
        let (identity, trust) = try uploader.keys()
        let deadline = maxSeconds.map { Date().addingTimeInterval($0) }
        let logger = Logger.cli
        let emptied = try await OutboxRuntime.withRuntime(
            storage: store, configuration: try uploader.configuration(), identity: identity, ministryTrust: trust,
            logger: logger
        ) { runtime in
            if untilEmpty || deadline != nil {
                return try await runtime.uploader.runUntilEmpty(deadline: deadline)
            }
            try await runtime.uploader.run()
            return true
        }
        let status = try await store.outboxStatus(now: .now)
        var output = Output()
        output.json(status.json)
        output.flush()
        if untilEmpty && !emptied { throw CommandFailure("stopped at --max-seconds with batches still to send") }
    }
}

extension Logger {
    /// The command line's logger: warnings and worse on stderr unless LOG_LEVEL says otherwise.
    static var cli: Logger {
        var logger = Logger(label: "taxlink")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }
}
