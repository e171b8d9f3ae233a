import Foundation
import HTTPTypes
import Hummingbird
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore
import TaxLinkWorkbench

/// The analyst page: a server-rendered HTML page that works offline (no scripts, fonts or CDNs), for
/// a signed-in analyst (``WorkbenchSessions``); without a session every page answers `303` to the
/// sign-in form. No token ever appears in a URL, link or form action: the session cookie carries the
/// analyst, and every form carries the session's CSRF token (hidden `csrf` field), checked on every POST.
///
/// - `GET /analyst`: totals of tax at risk by code (with an SVG bar chart), platform and period, the
///   filterable, sortable, paged list of findings (the query parameters of `GET /v1/discrepancies`), each
///   finding's history and a form to change its status.
/// - `GET /analyst/schedule`: the schedule page and its files are ``WorkbenchDrillDownRoutes``.
/// - `POST /analyst/findings/{id}` (form: `csrf`, `status`, `note`, `return`): a status change recorded
///   with the signed-in person's name as its actor, then back to the page with the filters of `return`.
///
/// The exports are ``WorkbenchExportRoutes``; signing in and out is ``SignInRoutes``.
struct AnalystPage<Context: RequestContext>: Sendable {
    let storage: any FindingsStorage
    let sessions: WorkbenchSessions

    func register(on router: Router<Context>) {
        router.get("/analyst") { request, _ in
            let context = try await sessions.signedIn(request).context(for: request)
            return try await WorkbenchErrorPages.catching(request, context: context) {
                let parameters = try AnalystForm.query(request.uri.query)
                let model = try await AnalystPageModel.load(storage: storage, parameters: parameters, context: context)
                return WorkbenchResponse.html(AnalystPageRenderer.render(model), status: .ok)
            }
        }
        registerBulk(on: router)
        WorkbenchLanguageRoute<Context>().register(on: router)
        router.post("/analyst/findings/:id") { request, context in
            let id = try context.parameters.require("id")
            let session = try await sessions.signedIn(request)
            let form = try AnalystForm.statusForm(try await AnalystForm.body(of: request))
            let back = WorkbenchFormat.url("/analyst", Self.filters(returnedIn: form.return))
            let page = session.context(language: WorkbenchSession.language(of: request), currentURL: back)
            return try await WorkbenchErrorPages.catching(request, context: page, back: back) {
                try sessions.checkCSRF(form.csrf, session)
                _ = try await FindingWorkflow(storage: storage).change(
                    id: id,
                    to: form.status ?? "",
                    note: form.note,
                    actor: session.name
                )
                return Response(status: .seeOther, headers: [.location: back + "#" + WorkbenchFormat.percentEncoded(id)])
            }
        }
    }

    /// The filters of a form's `return` field, read and written again so that only known, well-formed
    /// parameters reach the `Location` header (none when it cannot be read).
    static func filters(returnedIn text: String?) -> [(name: String, value: String)] {
        guard let parameters = try? AnalystForm.query(text), let query = try? FindingQuery(parameters: parameters)
        else { return [] }
        return query.parameters
    }
}

/// The headers every workbench page carries: no referrer, a content security policy that allows no
/// script and posts forms only to this site. `Cache-Control: no-store` is added to every workbench
/// answer by ``WorkbenchMiddleware``.
enum WorkbenchResponse {
    static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }

    /// An HTML page.
    static func html(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", referrerPolicy: "no-referrer",
                .contentSecurityPolicy:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
                    + "frame-ancestors 'none'",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}
