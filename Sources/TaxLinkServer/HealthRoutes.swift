import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkStore

/// `/healthz` (the process answers), `/readyz` (the store answers) and `/metrics`.
struct HealthRoutes<Context: RequestContext>: Sendable {
    let storage: any Storage
    let outbox: any OutboxStorage
    let telemetry: Telemetry

    func register(on router: Router<Context>) {
        router.get("/healthz") { _, _ in
            textResponse("ok\n", contentType: "text/plain; charset=utf-8")
        }
        router.get("/readyz") { _, _ in
            do {
                try await storage.ping()
            } catch {
                // Not ready: the load balancer asks again after Retry-After.
                throw RequestError(.unavailable, "the store does not answer; try again later", cause: error)
            }
            return textResponse("ready\n", contentType: "text/plain; charset=utf-8")
        }
        router.get("/metrics") { _, _ in
            telemetry.observe(
                statistics: try await storage.statistics(), outbox: try await outbox.outboxStatus(now: .now))
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: telemetry.exposition())))
        }
    }
}

/// A plain response with a body.
func textResponse(_ text: String, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
        status: status, headers: [.contentType: contentType],
        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
}
