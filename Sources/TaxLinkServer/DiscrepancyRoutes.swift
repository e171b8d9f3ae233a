import Foundation
import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The analysts' API routes: the discrepancy report, status changes and the period schedule (the
/// workbench is ``AnalystPage``). Analysts read everything in full and change statuses; operators read the
/// report and the schedules with tax ids masked (``TaxIDMask``); other roles get 403, no token 401.
///
/// - `GET /v1/discrepancies`: filters `platform`, `period`, `code`, `severity`, `status`, `seller`,
///   `sort` (`amount`|`detected`), `limit`, `offset` as query parameters; JSON array by default,
///   CSV with `Accept: text/csv` or `?format=csv`, JSON lines with `?format=jsonl`. The number of
///   matching findings before paging is in `X-Total-Count`.
/// - `PATCH /v1/discrepancies/{id}`: body `{"status": "acknowledged"|"resolved"|"open", "note": "…"}` as
///   `application/json` or `application/merge-patch+json` (else 415); the actor recorded is the name the
///   tokens file gives the caller's token (``Identity/name``).
///   Answers the finding with its `history`. 400 for a bad body, 404 for an unknown id, 409 for a
///   change the workflow does not allow.
/// - `GET /v1/schedules/{platform}/{period}`: JSON, or CSV/XML by `?format=` or `Accept`.
public struct DiscrepancyRoutes<Context: RequestContext>: Sendable {
    let storage: any FindingsStorage
    let authorizer: Authorizer

    /// Routes over the findings in `storage`.
    public init(storage: any FindingsStorage, authorizer: Authorizer) {
        self.storage = storage
        self.authorizer = authorizer
    }

    /// Registers the report routes.
    public func register(on router: Router<Context>) {
        router.get("/v1/discrepancies") { request, _ in
            let role = try authorizer.require(request, oneOf: [.analyst, .operator])
            let query = try Self.query(request)
            let format = try Self.reportFormat(request)
            let page = try await storage.findings(query)
            let findings = role == .analyst ? page.findings : page.findings.map(TaxIDMask.masked)
            var headers = HTTPFields()
            headers[.contentType] = format.contentType
            headers[HTTPField.Name("X-Total-Count")!] = String(page.total)
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: DiscrepancyReport.render(findings, format: format)))
            )
        }
        router.patch("/v1/discrepancies/:id") { request, context in
            let identity = try authorizer.identity(request, oneOf: [.analyst])
            let id = try context.parameters.require("id")
            let change = try await StatusChange(request)
            let finding = try await FindingWorkflow(storage: storage).change(
                id: id, to: change.status, note: change.note, actor: identity.name)
            let history = try await storage.findingHistory(ids: [id])[id] ?? []
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(StatusChange.json(finding, history))))
            )
        }
        router.get("/v1/schedules/:platform/:period") { request, context in
            let role = try authorizer.require(request, oneOf: [.analyst, .operator])
            let platform = try ParameterRules.platform(try context.parameters.require("platform"))
            let period = try ParameterRules.period(try context.parameters.require("period"))
            let format = try Self.scheduleFormat(request)
            let schedule = try await PeriodSchedule.compute(storage: storage, platform: platform, period: period)
            let shown = role == .analyst ? schedule : TaxIDMask.masked(schedule)
            return Response(
                status: .ok,
                headers: [.contentType: format.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: shown.render(format)))
            )
        }
    }

    /// The report query of a request's query parameters.
    static func query(_ request: Request) throws -> FindingQuery {
        try FindingQuery(parameters: try ParameterRules.reportParameters(request))
    }

    private static func reportFormat(_ request: Request) throws(RequestError) -> ReportFormat {
        if let text = request.uri.queryParameters.get("format") {
            guard let format = ReportFormat(rawValue: text.lowercased()) else {
                throw .invalidParameter("format", "expected json, jsonl or csv, found '\(text)'")
            }
            return format
        }
        let accept = request.headers[.accept]?.lowercased() ?? ""
        if accept.contains("text/csv") { return .csv }
        if accept.contains("ndjson") { return .jsonl }
        return .json
    }

    private static func scheduleFormat(_ request: Request) throws(RequestError) -> ScheduleFormat {
        if let text = request.uri.queryParameters.get("format") {
            guard let format = ScheduleFormat(rawValue: text.lowercased()) else {
                throw .invalidParameter("format", "expected json, csv or xml, found '\(text)'")
            }
            return format
        }
        let accept = request.headers[.accept]?.lowercased() ?? ""
        if accept.contains("text/csv") { return .csv }
        if accept.contains("xml") { return .xml }
        return .json
    }
}
