import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MinistryMock
import TaxLinkSigning

/// `ministry-mock`: the mock finance-ministry intake, for tests and the demo.
struct MinistryMockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ministry-mock",
        abstract: "A strict mock of the finance ministry's e-commerce batch intake (spec/ministry-exchange.md).",
        discussion: """
            Fault spec: comma-separated kind=probability pairs, kinds being a status code (429, 500, 502, 503, 504, …), \
            drop-before, drop-after or slow; e.g. 503=0.2,429=0.1,drop-before=0.05,drop-after=0.05,slow=0.05. \
            The same --seed gives the same faults for the same sequence of requests.
            """
    )

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port, printed on start).") var port = 9443
    @Option(help: "The SQLite file of the mock's state (kept across restarts).") var database: String
    @Option(help: "PEM file of the certificates senders must chain to (a CA or pinned sender certificates).")
    var trust: String
    @Option(help: "PEM file of the ministry's P-256 private key (signs receipts).") var key: String
    @Option(help: "PEM file of the ministry's certificate chain, leaf first.") var chain: String
    @Flag(name: .customLong("async"), help: "Answer new batches 202 and finish them later (poll with GET).")
    var asyncMode = false
    @Option(help: "In --async mode: GET polls answered 202 before the receipt.") var asyncPolls = 1
    @Option(help: "In --async mode: seconds after which a batch is processed whatever the polls.")
    var asyncDelay: Double?
    @Option(help: "The fault spec (see above).") var faults = ""
    @Option(help: "The seed of the fault generator.") var seed: UInt64 = 1
    @Option(help: "Retry-After of 429 (and 503) answers, in seconds.") var retryAfter = 1
    @Flag(help: "Send Retry-After as an HTTP-date instead of seconds.") var retryAfterHttpDate = false
    @Option(help: "Seconds a 'slow' fault waits.") var slowSeconds = 2.0
    @Option(help: "Largest accepted body in bytes.") var maxBodyBytes = 8 * 1024 * 1024
    @Option(help: "Most records in a batch.") var maxRecords = 5000
    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).") var logLevel = "info"

    func run() async throws {
        try await serve()
    }

    /// Loads the keys, builds the application and serves until SIGTERM or SIGINT.
    func serve() async throws {
        var logger = Logger(label: "ministry-mock")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info

        let identity = try SigningIdentity.load(keyPEM: try read(key), chainPEM: try read(chain))
        let anchors = try DevelopmentPKI.loadCertificates(pem: try read(trust))
        guard !anchors.isEmpty else { throw ValidationError("\(trust) holds no CERTIFICATE") }

        var plan: FaultPlan
        do {
            plan = try FaultPlan(spec: faults)
        } catch {
            throw ValidationError(error.description)
        }
        plan.retryAfterSeconds = retryAfter
        plan.retryAfterAsHTTPDate = retryAfterHttpDate
        plan.slowDelay = .milliseconds(Int64(slowSeconds * 1000))

        var configuration = MinistryConfiguration(databasePath: database, trustAnchors: anchors, identity: identity)
        configuration.host = host
        configuration.port = port
        configuration.asyncMode = asyncMode
        configuration.asyncProcessing = .init(
            pollsBeforeReady: asyncPolls,
            delay: asyncDelay.map { .milliseconds(Int64($0 * 1000)) }
        )
        configuration.faults = plan
        configuration.seed = seed
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxRecords = maxRecords
        let host = self.host
        configuration.onServerRunning = { port in
            FileHandle.standardOutput.write(Data("ministry-mock listening on http://\(host):\(port)\n".utf8))
        }
        let app = try await buildMinistryApplication(configuration: configuration, logger: logger)
        try await app.runService()
    }

    private func read(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
    }
}

// `main.swift` cannot use `@main`, and a plain `main()` or `run()` call here resolves to the
// synchronous `ParsableCommand` versions, so the command is parsed and served explicitly.
do {
    let command = try await MinistryMockCommand.asyncParse()
    try await command.serve()
} catch {
    MinistryMockCommand.exit(withError: error)
}
