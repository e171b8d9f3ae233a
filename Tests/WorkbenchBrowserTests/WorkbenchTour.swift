import Foundation
import TestSupport
import Testing

/// The steps an analyst takes through the workbench, each checked as it goes; every page shown is
/// audited for the token (``PageAudit/expectNoToken(_:in:sourceLocation:)``).
struct WorkbenchTour {
    let browser: WebDriverSession
    let server: WorkbenchServer
    let analyst: WorkbenchServer.Analyst

    /// Opens the workbench unsigned (it sends the browser to the sign-in form), posts the token in the
    /// form and lands on the findings, signed in by name with an HttpOnly, SameSite=Strict session cookie.
    func signIn() async throws {
        try await browser.navigate(to: server.base + "/analyst")
        #expect(try await path() == "/analyst/sign-in", "an unsigned visit is sent to the sign-in form")
        try await audit()
        try await browser.type(analyst.token, into: try await browser.element("#sign-in-token"))
        try await browser.submit(try await browser.element("#sign-in-form"))
        let who = try await browser.text(of: try await browser.element("#signed-in-as"))
        #expect(who.contains(analyst.name))
        #expect(try await path() == "/analyst")
        let session = try await sessionCookie()
        #expect(session.httpOnly == true)
        #expect(session.sameSite == "Strict")
        #expect(session.path == "/analyst")
        #expect(session.value != analyst.token)
        try await audit()
    }

    /// At a phone's width (390 px) the page at `path` (or a whole URL) is no wider than the viewport.
    func fitsANarrowScreen(path: String) async throws {
        try await browser.setWindowSize(width: 390, height: 844)
        try await browser.navigate(to: path.hasPrefix("http") ? path : server.base + path)
        let widths = try await PageAudit.widths(in: browser)
        #expect(widths.viewport == 390, "the viewport is \(widths.viewport) px wide, not 390")
        if widths.document > widths.viewport {
            let picture = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-390px-\(UUID()).png")
            try await browser.screenshot().write(to: picture)
            Issue.record(
                "at 390 px, \(path) is \(widths.document) px wide (viewport \(widths.viewport) px); see \(picture.path)"
            )
        }
        try await audit()
        try await browser.setWindowSize(width: 1280, height: 900)
    }

    /// Signs out with the header's button: the browser is back at the sign-in form, and the session's
    /// cookie, sent again, no longer opens the workbench.
    func signOut() async throws {
        let session = try await sessionCookie()
        try await browser.click(try await browser.element("#sign-out"))
        #expect(try await path() == "/analyst/sign-in")
        try await audit()
        let answer = try await Fetch.get(server.base + "/analyst", cookie: (session.name, session.value))
        #expect(answer.status == 303, "a signed-out session cookie still opens the workbench (\(answer.status))")
        #expect(answer.header("Location") == "/analyst/sign-in")
    }

    /// The session cookie the browser holds.
    func sessionCookie() async throws -> WebDriverCookie {
        try #require(try await browser.cookies().first { $0.name == "taxlink_session" }, "no session cookie")
    }

    /// The text of `element` and its descendants, shown or not (`textContent`).
    func textContent(of element: WebElement) async throws -> String {
        try await browser.execute("return arguments[0].textContent;", arguments: [element], as: String.self)
    }

    /// The path of the current page.
    func path() async throws -> String {
        URLComponents(string: try await browser.currentURL())?.path ?? ""
    }

    /// Checks the current page for the token.
    func audit(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await PageAudit.expectNoToken(analyst.token, in: browser, sourceLocation: sourceLocation)
    }
}
