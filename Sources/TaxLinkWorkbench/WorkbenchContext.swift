/// What every workbench page needs to render its chrome and its forms: the language, the person
/// signed in and the CSRF token their forms carry.
public struct WorkbenchContext: Sendable {
    /// The language of the page.
    public var language: WorkbenchLanguage
    /// The signed-in person's name, shown in the header (and recorded as the actor of their changes).
    public var actorName: String
    /// The CSRF token of the session, put in every form the page posts (`csrf` field).
    public var csrfToken: String
    /// The path and query of the page shown (`/analyst?platform=tiki`), where the language switch
    /// comes back to.
    public var currentURL: String

    /// A context for a page at `currentURL`.
    public init(
        language: WorkbenchLanguage,
        actorName: String,
        csrfToken: String,
        currentURL: String = "/analyst"
    ) {
        self.language = language
        self.actorName = actorName
        self.csrfToken = csrfToken
        self.currentURL = currentURL
    }

    /// The interface strings in the page's language.
    public var text: WorkbenchText { WorkbenchText(language) }

    /// The hidden `csrf` field of a form the page posts.
    public var csrfField: String {
        "<input type=hidden name=csrf value=\"\(WorkbenchFormat.html(csrfToken))\">"
    }
}
