import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

/// The request context of the connector's routes.
public typealias AppRequestContext = BasicRequestContext

/// Builds the router of the connector's HTTP API over `stores`: feeds are pushed into and read from
/// `stores.feeds`, the analysts' routes use `stores.findings`, the outbox routes `stores.outbox`, the
/// workbench's sessions `stores.sessions`. `now` is the clock of sessions and export file names.
///
/// Answers are gzip-compressed for clients that accept it (``ResponseCompressionMiddleware``), and every
/// workbench answer is `Cache-Control: no-store` (``WorkbenchMiddleware``).
public func buildRouter(
    configuration: ServerConfiguration,
    stores: Stores,
    telemetry: Telemetry = Telemetry(),
    now: @escaping @Sendable () -> Timestamp = { .now },
    onFeedStored: @escaping @Sendable () -> Void = {}
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(ResponseCompressionMiddleware())
    router.middlewares.add(WorkbenchMiddleware())
    router.middlewares.add(ProblemMiddleware())
    router.middlewares.add(QueryParameterGuard())
    let authorizer = Authorizer(tokens: configuration.tokens)
    let sessions = WorkbenchSessions(storage: stores.sessions, configuration: configuration.sessions, now: now)
    FeedRoutes(
        ingestor: Ingestor(storage: stores.feeds),
        authorizer: authorizer,
        maximumBodyBytes: configuration.maximumBodyBytes,
        telemetry: telemetry,
        onFeedStored: onFeedStored
    ).register(on: router)
    HealthRoutes<AppRequestContext>(storage: stores.feeds, outbox: stores.outbox, telemetry: telemetry)
        .register(on: router)
    FeedReadRoutes<AppRequestContext>(storage: stores.feeds, authorizer: authorizer).register(on: router)
    OutboxRoutes<AppRequestContext>(storage: stores.outbox, authorizer: authorizer).register(on: router)
    DiscrepancyRoutes<AppRequestContext>(storage: stores.findings, authorizer: authorizer).register(on: router)
    SignInRoutes<AppRequestContext>(sessions: sessions, tokens: configuration.tokens).register(on: router)
    AnalystPage<AppRequestContext>(storage: stores.findings, sessions: sessions).register(on: router)
    WorkbenchExportRoutes<AppRequestContext>(
        storage: stores.findings, sessions: sessions, authorizer: authorizer, now: now
    ).register(on: router)
    WorkbenchDrillDownRoutes<AppRequestContext>(findings: stores.findings, lookup: stores.lookup, sessions: sessions)
        .register(on: router)
    return router
}

/// Builds the connector's HTTP application; `services` (uploader, reconciler) run beside the server.
/// Every connection is held to `configuration.timeouts` (``ConnectionTimeoutHandler``), and a request the
/// HTTP parser cannot read is answered with a problem document (``MalformedRequestHandler``). Throws
/// when the configuration cannot be served (``ServerConfiguration/validate()``).
public func buildApplication(
    configuration: ServerConfiguration,
    stores: Stores,
    telemetry: Telemetry = Telemetry(),
    now: @escaping @Sendable () -> Timestamp = { .now },
    services: [any Service] = [],
    logger: Logger,
    onFeedStored: @escaping @Sendable () -> Void = {},
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws(ServerConfigurationError) -> some ApplicationProtocol {
    try configuration.validate()
    let router = buildRouter(
        configuration: configuration,
        stores: stores,
        telemetry: telemetry,
        now: now,
        onFeedStored: onFeedStored
    )
    let timeouts = configuration.timeouts
    let server = HTTPServerBuilder.http1(
        configuration: HTTP1Channel.Configuration(
            additionalChannelHandlers: [
                MalformedRequestHandler(), ConnectionTimeoutHandler(timeouts: timeouts, logger: logger),
            ])
    )
    return Application(
        router: router,
        server: server,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "taxlink"
        ),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
