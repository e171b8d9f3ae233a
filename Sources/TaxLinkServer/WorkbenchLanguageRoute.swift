import Hummingbird
import TaxLinkWorkbench

/// `GET /analyst/language?lang=vi|en&back=<a workbench URL>`: the page's language switch. Keeps the
/// choice in the `lang` cookie (a year, `/analyst` only, SameSite=Strict) and goes back to the page
/// (`back` must be a workbench path; anything else goes to the findings list). An unknown `lang`
/// clears the choice, so `Accept-Language` decides again.
struct WorkbenchLanguageRoute<Context: RequestContext>: Sendable {
    /// How long the choice is kept, in seconds.
    static var maxAge: Int { 365 * 24 * 3600 }

    func register(on router: Router<Context>) {
        router.get(RouterPath(WorkbenchLayout.languagePath)) { request, _ in
            let parameters = try AnalystForm.query(request.uri.query)
            let language = parameters["lang"].flatMap { WorkbenchLanguage(rawValue: $0.lowercased()) }
            var response = Response(
                status: .seeOther,
                headers: [.location: WorkbenchLayout.safeBack(parameters["back"] ?? "/analyst")]
            )
            response.setCookie(
                Cookie(
                    name: WorkbenchLanguage.cookieName,
                    value: language?.rawValue ?? "",
                    maxAge: language == nil ? 0 : Self.maxAge,
                    path: "/analyst",
                    httpOnly: true,
                    sameSite: .strict
                )
            )
            return response
        }
    }
}
