import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TaxLinkCore

/// The request context of the mock: the basic one, plus the connection, so a fault can close it.
struct MinistryRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Injects the faults of the plan into every `/v1/…` request, one draw per request.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = MinistryRequestContext

    let injector: FaultInjector
    let stats: MinistryStats
    let clock: @Sendable () -> Timestamp

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        await stats.countRequest()
        let (fault, plan) = await injector.draw()
        guard let fault else { return try await next(request, context) }
        await stats.countFault(fault)
        context.logger.info("injecting a fault", metadata: ["fault": "\(fault)", "path": "\(request.uri.path)"])
        switch fault {
        case .status(let code):
            var problem = MinistryProblem(
                HTTPResponse.Status(code: code),
                "injected-fault",
                "fault injected by the mock ministry: \(code)"
            )
            if code == 429 || code == 503 {
                problem.headers[.retryAfter] =
                    plan.retryAfterAsHTTPDate
                    ? httpDate(clock().adding(seconds: Int64(plan.retryAfterSeconds) + 1))
                    : String(plan.retryAfterSeconds)
            }
            throw problem
        case .dropBefore:
            try await drop(context)
        case .dropAfter:
            _ = try await next(request, context)
            try await drop(context)
        case .slow:
            try await Task.sleep(for: plan.slowDelay)
            return try await next(request, context)
        }
    }

    /// Closes the connection without an answer; the thrown ``ConnectionDrop`` keeps anything from
    /// being written (the server's attempt to answer fails on the closed channel).
    private func drop(_ context: Context) async throws -> Never {
        try? await context.channel.close()
        throw ConnectionDrop()
    }
}
