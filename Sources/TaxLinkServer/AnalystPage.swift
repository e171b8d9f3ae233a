import Foundation
import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import TaxLinkWorkbench

/// The analyst page: a server-rendered HTML page that works offline (no scripts, fonts or CDNs).
///
/// - `GET /analyst`: totals of tax at risk by code (with an SVG bar chart), platform and period, the
///   filterable, sortable, paged list of findings (the query parameters of `GET /v1/discrepancies`), each
///   finding's history and a form to change its status.
/// - `GET /analyst/export.csv`: the CSV report of the same filters.
/// - `GET /analyst/schedule?platform=&period=&format=xml|csv|json`: the period schedule.
/// - `POST /analyst/findings/{id}` (form: `token`, `status`, `note`): a status change, then back to the page.
///
/// Browsers cannot put a bearer token on a link, so these routes, and only these, also take the analyst
/// token as the `token` query parameter (or form field); the page carries it in its own links and forms
/// and asks for it with a form when it is missing. It sends `Referrer-Policy: no-referrer` so the token
/// does not leak to other sites. An `Authorization: Bearer` header works as everywhere else.
struct AnalystPage<Context: RequestContext>: Sendable {
    let storage: any FindingsStorage
    let authorizer: Authorizer

    func register(on router: Router<Context>) {
        router.get("/analyst") { request, _ in
            let parameters = try AnalystForm.query(request.uri.query)
            guard let token = try authenticate(request, token: parameters["token"]) else {
                return Self.html(
                    AnalystPageRenderer.login(message: parameters["token"] == nil ? nil : "unknown token"),
                    status: .unauthorized
                )
            }
            var query = try FindingQuery(parameters: parameters)
            if query.limit == nil { query.limit = 100 }
            var totalsQuery = query
            totalsQuery.limit = nil
            let page = try await storage.findings(query)
            let model = AnalystPageModel(
                query: query,
                page: page,
                history: try await storage.findingHistory(ids: page.findings.map(\.content.id)),
                byCode: try await storage.findingTotals(totalsQuery, by: .code),
                byPlatform: try await storage.findingTotals(totalsQuery, by: .platform),
                byPeriod: try await storage.findingTotals(totalsQuery, by: .period),
                token: token
            )
            return Self.html(AnalystPageRenderer.render(model), status: .ok)
        }
        router.get("/analyst/export.csv") { request, _ in
            let parameters = try AnalystForm.query(request.uri.query)
            guard try authenticate(request, token: parameters["token"]) != nil else {
                throw RequestError(.unauthorized, "an analyst token is required")
            }
            let page = try await storage.findings(try FindingQuery(parameters: parameters))
            return Response(
                status: .ok,
                headers: [
                    .contentType: ReportFormat.csv.contentType,
                    .contentDisposition: "attachment; filename=\"discrepancies.csv\"",
                    Self.referrerPolicy: "no-referrer",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: DiscrepancyReport.render(page.findings, format: .csv)))
            )
        }
        router.get("/analyst/schedule") { request, _ in
            let parameters = try AnalystForm.query(request.uri.query)
            guard try authenticate(request, token: parameters["token"]) != nil else {
                throw RequestError(.unauthorized, "an analyst token is required")
            }
            guard let platform = parameters["platform"]?.lowercased(), !platform.isEmpty,
                let period = parameters["period"].flatMap(TaxPeriod.init)
            else { throw RequestError(.invalidParameter, "platform and period (YYYY-MM) are required") }
            guard let format = ScheduleFormat(rawValue: (parameters["format"] ?? "xml").lowercased()) else {
                throw RequestError.invalidParameter("format", "expected json, csv or xml")
            }
            let schedule = try await PeriodSchedule.compute(
                storage: storage,
                platform: platform,
                period: period
            )
            return Response(
                status: .ok,
                headers: [.contentType: format.contentType, Self.referrerPolicy: "no-referrer"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: schedule.render(format)))
            )
        }
        router.post("/analyst/findings/:id") { request, context in
            let id = try context.parameters.require("id")
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            let form = try AnalystForm.statusForm(String(decoding: buffer.readableBytesView, as: UTF8.self))
            guard let token = try authenticate(request, token: form.token) else {
                throw RequestError(.unauthorized, "an analyst token is required")
            }
            _ = try await FindingWorkflow(storage: storage).change(
                id: id,
                to: form.status ?? "",
                note: form.note,
                actor: Role.analyst.description
            )
            let back = "/analyst?" + AnalystPageRenderer.queryString([], token: token) + "&" + (form.return ?? "")
            return Response(
                status: .seeOther,
                headers: [.location: back + "#" + AnalystPageRenderer.percentEncoded(id)]
            )
        }
    }

    private static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }

    /// The analyst token in use: `nil` when none was given or it is unknown (the caller answers 401); a
    /// known token of another role is refused with 403.
    private func authenticate(_ request: Request, token: String?) throws -> String? {
        if let header = request.headers[.authorization] {
            try authorizer.require(request, oneOf: [.analyst])
            return header.split(separator: " ", maxSplits: 1).last.map(String.init) ?? ""
        }
        guard let token, !token.isEmpty, let role = authorizer.tokens.role(of: token) else { return nil }
        guard role == .analyst else {
            throw RequestError(.forbidden, "a \(role) token may not use \(request.method) \(request.uri.path)")
        }
        return token
    }

    private static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", referrerPolicy: "no-referrer",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}
