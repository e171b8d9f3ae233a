import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TaxLinkCore

/// Builds the mock finance ministry: the intake of `spec/ministry-exchange.md` plus `GET /_stats`
/// and `GET|POST /_faults`, on the SQLite state at ``MinistryConfiguration/databasePath``.
///
/// Run it with `try await app.runService()` (the executable), inside a `ServiceGroup`, or with
/// HummingbirdTesting's `app.test(.live)`. With port `0`, ``MinistryConfiguration/onServerRunning``
/// receives the port the server bound.
///
/// - Throws: when the database cannot be opened or migrated.
public func buildMinistryApplication(
    configuration: MinistryConfiguration,
    logger: Logger = Logger(label: "ministry-mock")
) async throws -> some ApplicationProtocol {
    let store = try MinistryStore(path: configuration.databasePath)
    let stats = MinistryStats()
    let injector = FaultInjector(plan: configuration.faults, seed: configuration.seed)
    let intake = BatchIntake(configuration: configuration, store: store, stats: stats)
    let clock = configuration.clock

    let router = Router(context: MinistryRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: FaultMiddleware(injector: injector, stats: stats, clock: { Timestamp(clock()) }))
    router.post("/v1/batches") { request, context in try await intake.post(request, context: context) }
    router.get("/v1/batches/:batch_id") { request, context in try await intake.get(request, context: context) }
    router.get("/_stats") { _, _ in jsonResponse(await stats.json()) }
    router.get("/_faults") { _, _ in jsonResponse(faultsJSON(await injector.plan)) }
    router.post("/_faults") { request, _ in
        let body = try await request.body.collect(upTo: 64 * 1024)
        let (plan, seed) = try parseFaultUpdate(Array(body.readableBytesView), current: await injector.plan)
        await injector.replace(plan: plan, seed: seed)
        logger.info("fault plan replaced", metadata: ["faults": "\(plan)"])
        return jsonResponse(faultsJSON(plan))
    }

    let onServerRunning = configuration.onServerRunning
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "ministry-mock"
        ),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger
    )
}

private func jsonResponse(_ value: JSONValue) -> Response {
    Response(
        status: .ok,
        headers: [.contentType: "application/json"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value)))
    )
}

private func faultsJSON(_ plan: FaultPlan) -> JSONValue {
    .object([
        "faults": .string(plan.description),
        "retry_after": .int(plan.retryAfterSeconds),
        "retry_after_http_date": .bool(plan.retryAfterAsHTTPDate),
        "slow_seconds": .number(
            String(
                Double(plan.slowDelay.components.seconds)
                    + Double(plan.slowDelay.components.attoseconds) / 1e18
            )
        ),
    ])
}

/// Reads `{"faults": SPEC, "seed": N, "retry_after": S, "retry_after_http_date": B, "slow_seconds": S}`,
/// every member optional; members left out keep their current value.
private func parseFaultUpdate(_ body: [UInt8], current: FaultPlan) throws -> (FaultPlan, UInt64?) {
    func invalid(_ detail: String) -> MinistryProblem {
        MinistryProblem(.badRequest, "invalid-fault-plan", detail)
    }
    guard let document = try? JSONParser.parse(body), case .object = document else {
        throw invalid(#"expected a JSON object such as {"faults":"503=0.2,drop-after=0.1","seed":7}"#)
    }
    var plan = current
    if let spec = document["faults"] {
        guard let text = spec.stringValue else { throw invalid("faults must be a string") }
        do {
            plan.entries = try FaultPlan(spec: text).entries
        } catch {
            throw invalid(error.description)
        }
    }
    if let value = document["retry_after"] {
        guard let seconds = WireFormat.integer(value), seconds >= 0 else {
            throw invalid("retry_after must be an integer ≥ 0")
        }
        plan.retryAfterSeconds = Int(seconds)
    }
    if let value = document["retry_after_http_date"] {
        guard let flag = value.boolValue else { throw invalid("retry_after_http_date must be a boolean") }
        plan.retryAfterAsHTTPDate = flag
    }
    if let value = document["slow_seconds"] {
        guard case .number(let literal) = value, let seconds = Double(literal), seconds >= 0 else {
            throw invalid("slow_seconds must be a number ≥ 0")
        }
        plan.slowDelay = .milliseconds(Int64(seconds * 1000))
    }
    var seed: UInt64?
    if let value = document["seed"] {
        guard case .number(let literal) = value, let number = UInt64(literal) else {
            throw invalid("seed must be a non-negative integer")
        }
        seed = number
    }
    return (plan, seed)
}
