import Foundation
import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The analysts' routes: the discrepancy report, status changes, the period schedule, and the analyst
/// page (``AnalystPage``). Every route needs an analyst token; other roles get 403, no token 401.
///
/// - `GET /v1/discrepancies`: filters `platform`, `period`, `code`, `severity`, `status`, `seller`,
///   `sort` (`amount`|`detected`), `limit`, `offset` as query parameters; JSON array by default,
///   CSV with `Accept: text/csv` or `?format=csv`, JSON lines with `?format=jsonl`. The number of
///   matching findings before paging is in `X-Total-Count`.
/// - `PATCH /v1/discrepancies/{id}`: body `{"status": "acknowledged"|"resolved"|"open", "note": "…"}`;
///   the actor is the caller's role. 400 for a bad body, 404 for an unknown id, 409 for a change the
///   workflow does not allow.
/// - `GET /v1/schedules/{platform}/{period}`: JSON, or CSV/XML by `?format=` or `Accept`.
public struct DiscrepancyRoutes<Context: RequestContext>: Sendable {
    let storage: (any FindingsStorage)?
    let authorizer: Authorizer

    /// Routes over `storage`, which must also be a ``FindingsStorage`` (else they answer 503).
    public init(storage: any Storage, authorizer: Authorizer) {
        self.storage = storage as? any FindingsStorage
        self.authorizer = authorizer
    }

    /// Registers the report routes and the analyst page.
    public func register(on router: Router<Context>) {
        router.get("/v1/discrepancies") { request, _ in
            try authorizer.require(request, oneOf: [.analyst])
            let store = try findingsStorage()
            let query = try Self.query(request)
            let format = try Self.reportFormat(request)
            let page = try await store.findings(query)
            var headers = HTTPFields()
            headers[.contentType] = format.contentType
            headers[HTTPField.Name("X-Total-Count")!] = String(page.total)
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody(
                    byteBuffer: ByteBuffer(bytes: DiscrepancyReport.render(page.findings, format: format))
                )
            )
        }
        router.patch("/v1/discrepancies/:id") { request, context in
            let role = try authorizer.require(request, oneOf: [.analyst])
            let store = try findingsStorage()
            let id = try context.parameters.require("id")
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            let body: JSONValue
            do {
                body = try JSONParser.parse(Array(buffer.readableBytesView))
            } catch {
                throw Problem(.badRequest, detail: "the body is not JSON: \(error)")
            }
            guard case .object = body, let status = body["status"]?.stringValue else {
                throw Problem(.badRequest, detail: "the body must be {\"status\": …, \"note\": …}")
            }
            let finding = try await Self.mapped {
                try await FindingWorkflow(storage: store).change(
                    id: id,
                    to: status,
                    note: body["note"]?.stringValue,
                    actor: role.description
                )
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(DiscrepancyReport.json(finding))))
            )
        }
        router.get("/v1/schedules/:platform/:period") { request, context in
            try authorizer.require(request, oneOf: [.analyst])
            let store = try findingsStorage()
            let platform = try context.parameters.require("platform").lowercased()
            let text = try context.parameters.require("period")
            guard let period = TaxPeriod(text) else { throw Problem(.badRequest, detail: "period: expected YYYY-MM") }
            let format = try Self.scheduleFormat(request)
            let schedule = try await PeriodSchedule.compute(storage: store, platform: platform, period: period)
            return Response(
                status: .ok,
                headers: [.contentType: format.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: schedule.render(format)))
            )
        }
        AnalystPage<Context>(storage: storage, authorizer: authorizer).register(on: router)
    }

    private func findingsStorage() throws(Problem) -> any FindingsStorage {
        guard let storage else { throw Problem(.serviceUnavailable, detail: "this store does not keep findings") }
        return storage
    }

    /// The report query of a request's query parameters.
    static func query(_ request: Request) throws(Problem) -> FindingQuery {
        var parameters: [String: String] = [:]
        let query = request.uri.queryParameters
        for name in FindingQuery.parameterNames {
            if let value = query.get(name) { parameters[name] = value }
        }
        do {
            return try FindingQuery(parameters: parameters)
        } catch {
            throw Problem(.badRequest, detail: error.message)
        }
    }

    private static func reportFormat(_ request: Request) throws(Problem) -> ReportFormat {
        if let text = request.uri.queryParameters.get("format") {
            guard let format = ReportFormat(rawValue: text.lowercased()) else {
                throw Problem(.badRequest, detail: "format: expected json, jsonl or csv")
            }
            return format
        }
        let accept = request.headers[.accept]?.lowercased() ?? ""
        if accept.contains("text/csv") { return .csv }
        if accept.contains("ndjson") { return .jsonl }
        return .json
    }

    private static func scheduleFormat(_ request: Request) throws(Problem) -> ScheduleFormat {
        if let text = request.uri.queryParameters.get("format") {
            guard let format = ScheduleFormat(rawValue: text.lowercased()) else {
                throw Problem(.badRequest, detail: "format: expected json, csv or xml")
            }
            return format
        }
        let accept = request.headers[.accept]?.lowercased() ?? ""
        if accept.contains("text/csv") { return .csv }
        if accept.contains("xml") { return .xml }
        return .json
    }

    /// Runs a workflow step, answering its errors as problems: 400, 404 or 409.
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ReconcileError {
            if error.isNotFound { throw Problem(.notFound, detail: error.message) }
            if error.isInvalidTransition { throw Problem(.conflict, detail: error.message) }
            throw Problem(.badRequest, detail: error.message)
        }
    }
}
