import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TaxLinkOutbox
import TaxLinkReconcile
import TaxLinkServer
import TaxLinkStore

/// `taxlink serve`: the HTTP API, with the uploader and reconciler in the background.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API (feeds, reports, health, metrics)."
    )

    @OptionGroup var storage: StorageOptions

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8080

    @Option(
        name: .customLong("tokens-file"),
        help:
            "File of 'TOKEN ROLE' lines (roles: platform:NAME, gateway:NAME, analyst, operator). Env TAXLINK_TOKENS_FILE; TAXLINK_TOKENS holds the same entries inline."
    )
    var tokensFile: String?

    @Option(name: .customLong("max-body-bytes"), help: "Largest feed body accepted (env TAXLINK_MAX_BODY_BYTES).")
    var maxBodyBytes: Int?

    @OptionGroup var uploader: UploaderOptions

    @OptionGroup var timeouts: TimeoutOptions

    @Flag(name: .customLong("no-upload"), help: "Do not run the uploader (ingest and reports only).")
    var noUpload = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.timeouts = try timeouts.timeouts(environment: environment)
        if let limit = maxBodyBytes ?? environment["TAXLINK_MAX_BODY_BYTES"].flatMap(Int.init) {
            guard limit > 0 else { throw CommandFailure("--max-body-bytes must be positive") }
            configuration.maximumBodyBytes = limit
        }
        var tokenText = environment["TAXLINK_TOKENS"] ?? ""
        if let file = tokensFile ?? environment["TAXLINK_TOKENS_FILE"] {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("--tokens-file: cannot read \(file)")
            }
            tokenText += "\n" + String(decoding: data, as: UTF8.self)
        }
        configuration.tokens = try TokenRegistry.parse(tokenText)
        var logger = Logger(label: "taxlink")
        logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        if configuration.tokens.isEmpty {
            logger.warning("no tokens configured: every authenticated route will answer 401")
        }
        let opened = try storage.openStoresAsServices(creatingIfMissing: true)
        let stores = opened.stores
        let telemetry = Telemetry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: telemetry.registry))
        let reconciler = ReconcilerService(storage: stores.findings, logger: logger)
        let host = configuration.host
        let serverConfiguration = configuration
        let serverLogger = logger
        let run: @Sendable ([any Service]) async throws -> Void = { services in
            let app = try buildApplication(
                configuration: serverConfiguration,
                stores: stores,
                telemetry: telemetry,
                services: services,
                logger: serverLogger,
                onFeedStored: { reconciler.feedStored() },
                onServerRunning: { port in Output.progress("taxlink serving on http://\(host):\(port)") }
            )
            try await app.runService()
        }
        guard !noUpload, uploader.ministryURLGiven else {
            logger.notice("uploader disabled: no --ministry-url (or TAXLINK_MINISTRY_URL), or --no-upload")
            try await run(opened.services + [reconciler])
            return
        }
        let (identity, trust) = try uploader.keys()
        try await OutboxRuntime.withRuntime(
            storage: stores.outbox,
            configuration: try uploader.configuration(),
            identity: identity,
            ministryTrust: trust,
            logger: logger
        ) { runtime in
            try await run(opened.services + [reconciler, runtime.uploader])
        }
    }
}
