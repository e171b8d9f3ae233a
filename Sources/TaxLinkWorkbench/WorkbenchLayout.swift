/// The frame of every workbench page: the document head with the inline style sheet, a header with
/// the navigation, the search box, the language switch and the signed-in person with their sign-out
/// form, then the page's own body. Self-contained: no scripts, fonts or other requests.
public enum WorkbenchLayout {
    /// The path of the language switch (`?lang=vi|en&back=<the page>`), which sets the `lang` cookie.
    public static let languagePath = "/analyst/language"

    /// A whole page titled `title` around `body` (markup the caller has escaped).
    public static func page(title: String, context: WorkbenchContext, body: String) -> String {
        let html = WorkbenchFormat.html
        return """
            <!DOCTYPE html>
            <html lang="\(context.language.rawValue)"><head><meta charset="utf-8">\
            <meta name="referrer" content="no-referrer">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(html(title))</title>
            <style>
            \(WorkbenchStyle.css)
            </style></head><body>
            \(header(context))
            <main id="main">
            \(body)
            </main></body></html>

            """
    }

    /// A page saying that a request failed: the status, what was wrong (`message`, plain text) and a
    /// link back to `back` (a workbench URL keeping the filters); `extra` is markup shown below, such as
    /// a form filled with what was sent so it can be corrected.
    public static func errorPage(
        status: Int,
        message: String,
        back: String,
        context: WorkbenchContext,
        extra: String = ""
    ) -> String {
        let text = context.text
        let html = WorkbenchFormat.html
        let body = """
            <h1>\(html(text.errorHeading))</h1>
            <p id="error-status">\(html(text.errorStatus(status)))</p>
            <p class=error id="error-message" role="alert"><strong>\(html(text.whatWasWrong))</strong> \
            \(html(message))</p>
            <p><a id="error-back" href="\(html(safeBack(back)))">\(html(text.back))</a></p>
            \(extra)
            """
        return page(title: "\(text.appName) — \(text.errorStatus(status))", context: context, body: body)
    }

    /// `back` when it is a workbench path (starts with `/analyst`), else the findings list: a link back
    /// never leads off the site.
    public static func safeBack(_ back: String) -> String {
        let isLocal = back == "/analyst" || back.hasPrefix("/analyst/") || back.hasPrefix("/analyst?")
        return isLocal && !back.contains("\\") ? back : "/analyst"
    }

    private static func header(_ context: WorkbenchContext) -> String {
        let text = context.text
        let html = WorkbenchFormat.html
        let other: WorkbenchLanguage = context.language == .vi ? .en : .vi
        var header = "<header class=top><a class=brand href=\"/analyst\">\(html(text.appName))</a>"
        header += "<nav aria-label=\"\(html(text.mainNavigation))\">"
        header += WorkbenchFormat.link(text.navFindings, "/analyst", attributes: "id=\"nav-findings\"")
        header += WorkbenchFormat.link(text.navSearch, "/analyst/search", attributes: "id=\"nav-search\"")
        header += WorkbenchFormat.link(text.navSchedule, "/analyst/schedule", attributes: "id=\"nav-schedule\"")
        header += "</nav>"
        header += "<form role=search method=get action=\"/analyst/search\">"
        header += "<label class=visually-hidden for=\"header-search\">\(html(text.searchLabel))</label>"
        header += "<input id=\"header-search\" name=q type=search placeholder=\"\(html(text.searchButton))…\">"
        header += "<button id=\"header-search-button\">\(html(text.searchButton))</button></form>"
        header += WorkbenchFormat.link(
            other == .en ? "English" : "Tiếng Việt",
            languagePath,
            [(name: "lang", value: other.rawValue), (name: "back", value: context.currentURL)],
            attributes: "id=\"language-switch\" lang=\"\(other.rawValue)\" hreflang=\"\(other.rawValue)\" "
                + "aria-label=\"\(html(text.languageLabel)): \(html(text.otherLanguageName))\""
        )
        if !context.actorName.isEmpty {
            header += "<span class=who id=\"signed-in-as\">\(html(text.signedInAs)) "
            header += "<strong>\(html(context.actorName))</strong></span>"
            header += "<form id=\"sign-out-form\" method=post action=\"/analyst/sign-out\">\(context.csrfField)"
            header += "<button id=\"sign-out\">\(html(text.signOut))</button></form>"
        }
        return header + "</header>"
    }
}
