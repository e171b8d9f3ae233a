import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkStore

/// `GET /v1/outbox`: counts and oldest age per state, for operators.
struct OutboxRoutes<Context: RequestContext>: Sendable {
    let storage: any OutboxStorage
    let authorizer: Authorizer

    func register(on router: Router<Context>) {
        router.get("/v1/outbox") { request, _ in
            try authorizer.require(request, oneOf: [.operator])
            let status = try await storage.outboxStatus(now: .now)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(status.json))))
        }
    }
}
