import Hummingbird
import TaxLinkWorkbench

/// The analyst signed in to the workbench for a request: who they are and the CSRF token every form
/// they post must carry. ``WorkbenchSessions/signedIn(_:)`` gives it to every workbench route.
public struct WorkbenchSession: Sendable, Hashable {
    /// The person's name, from the tokens file: the actor recorded for every change they make.
    public let name: String
    /// Their role (always ``Role/analyst`` today).
    public let role: Role
    /// The session's CSRF token, the hidden `csrf` field of every form (``WorkbenchSessions/checkCSRF(_:_:)-(String?,_)``).
    public let csrfToken: String

    /// A session of `name` in `role` with `csrfToken`.
    public init(name: String, role: Role, csrfToken: String) {
        self.name = name
        self.role = role
        self.csrfToken = csrfToken
    }

    /// What a page needs to render its chrome and forms, in `language`, for the page at `currentURL`.
    public func context(language: WorkbenchLanguage, currentURL: String = "/analyst") -> WorkbenchContext {
        WorkbenchContext(language: language, actorName: name, csrfToken: csrfToken, currentURL: currentURL)
    }

    /// The context of a page answering `request`: the language of its `lang` cookie or
    /// `Accept-Language`, and its own path and query as the current URL.
    public func context(for request: Request) -> WorkbenchContext {
        context(language: Self.language(of: request), currentURL: Self.currentURL(of: request))
    }

    /// The workbench language a request asks for (the `lang` cookie, else `Accept-Language`, else vi).
    public static func language(of request: Request) -> WorkbenchLanguage {
        WorkbenchLanguage.choose(
            cookie: request.cookies[WorkbenchLanguage.cookieName]?.value,
            acceptLanguage: request.headers[.acceptLanguage]
        )
    }

    /// The path and query of a request (`/analyst?platform=tiki`).
    static func currentURL(of request: Request) -> String {
        let query = request.uri.query ?? ""
        return request.uri.path + (query.isEmpty ? "" : "?" + query)
    }
}
