import HTTPTypes
import Hummingbird
import TaxLinkWorkbench

/// Signing in to the workbench and out of it. No token ever travels in a URL: the token is posted in
/// the form's body, and the session cookie carries the session from then on.
///
/// - `GET /analyst/sign-in`: the sign-in form. It sets a short-lived `taxlink_signin` cookie whose
///   value the form repeats in its hidden `csrf` field, so a sign-in cannot be posted from another site.
/// - `POST /analyst/sign-in` (form: `token`, `csrf`): an analyst token starts a session
///   (``WorkbenchSessions``) and answers `303` to `/analyst` with the `taxlink_session` cookie; an unknown
///   token is the form again with 401, another role's token 403, a missing or foreign `csrf` 403.
/// - `POST /analyst/sign-out` (form: `csrf`): ends the session in the database (the cookie no longer
///   works anywhere), clears the cookie and answers `303` to the sign-in form.
struct SignInRoutes<Context: RequestContext>: Sendable {
    let sessions: WorkbenchSessions
    let tokens: TokenRegistry

    /// The cookie that ties the sign-in form to the browser that asked for it.
    static var formCookieName: String { "taxlink_signin" }

    func register(on router: Router<Context>) {
        router.get(RouterPath(WorkbenchSessions.signInPath)) { request, _ in
            try signInPage(request, status: .ok, message: nil)
        }
        router.post(RouterPath(WorkbenchSessions.signInPath)) { request, _ in
            let form = try await AnalystForm.fields(of: request)
            guard let expected = request.cookies[Self.formCookieName]?.value, !expected.isEmpty,
                form["csrf"] == expected
            else {
                throw RequestError(
                    .forbidden,
                    "the sign-in form has expired or was not sent from this site; open it again"
                )
            }
            let language = WorkbenchSession.language(of: request)
            guard let token = form["token"], let identity = tokens.identity(of: token) else {
                return try signInPage(request, status: .unauthorized, message: Self.unknownToken(language))
            }
            guard identity.role == .analyst else {
                return try signInPage(request, status: .forbidden, message: Self.notAnalyst(language))
            }
            var response = Response(status: .seeOther, headers: [.location: "/analyst"])
            response.setCookie(try await sessions.start(identity, secure: sessions.secure(request)))
            response.setCookie(Self.formCookie(value: "", maxAge: 0, secure: sessions.secure(request)))
            return response
        }
        router.post("/analyst/sign-out") { request, _ in
            let session = try await sessions.signedIn(request)
            try sessions.checkCSRF(try await AnalystForm.fields(of: request), session)
            var response = Response(status: .seeOther, headers: [.location: WorkbenchSessions.signInPath])
            response.setCookie(try await sessions.end(request, secure: sessions.secure(request)))
            return response
        }
    }

    /// The sign-in form, with a fresh form cookie and the `message` of a failed attempt.
    private func signInPage(_ request: Request, status: HTTPResponse.Status, message: String?) throws -> Response {
        let check = WorkbenchSessions.newID()
        let context = WorkbenchContext(
            language: WorkbenchSession.language(of: request),
            actorName: "",
            csrfToken: check,
            currentURL: WorkbenchSessions.signInPath
        )
        var response = WorkbenchResponse.html(SignInPage.render(context: context, message: message), status: status)
        response.setCookie(Self.formCookie(value: check, maxAge: 3600, secure: sessions.secure(request)))
        return response
    }

    private static func formCookie(value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(
            name: formCookieName,
            value: value,
            maxAge: maxAge,
            path: WorkbenchSessions.signInPath,
            secure: secure,
            httpOnly: true,
            sameSite: .strict
        )
    }

    private static func unknownToken(_ language: WorkbenchLanguage) -> String {
        language == .vi ? "Mã truy cập không đúng." : "Unknown token."
    }

    private static func notAnalyst(_ language: WorkbenchLanguage) -> String {
        language == .vi
            ? "Mã truy cập này không phải của chuyên viên phân tích." : "This token is not an analyst's."
    }
}

/// The sign-in page: one form posting the token in its body.
enum SignInPage {
    /// The page in `context`'s language; `message` (plain text) says why the last attempt failed.
    static func render(context: WorkbenchContext, message: String?) -> String {
        let vi = context.language == .vi
        let html = WorkbenchFormat.html
        var body = "<h1>\(html(vi ? "Đăng nhập" : "Sign in"))</h1>\n"
        if let message { body += "<p class=error id=\"sign-in-error\" role=alert>\(html(message))</p>\n" }
        body += """
            <form id="sign-in-form" method=post action="\(WorkbenchSessions.signInPath)">\(context.csrfField)
            <label for="sign-in-token">\(html(vi ? "Mã truy cập" : "Access token"))</label>
            <input id="sign-in-token" type=password name=token required autocomplete=off>
            <button id="sign-in-button">\(html(vi ? "Đăng nhập" : "Sign in"))</button></form>
            """
        return WorkbenchLayout.page(title: "TaxLink — \(vi ? "Đăng nhập" : "Sign in")", context: context, body: body)
    }
}
