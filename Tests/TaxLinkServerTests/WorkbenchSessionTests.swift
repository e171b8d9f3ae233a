import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkServer
import TaxLinkStore
import Testing

/// Signing in to the workbench, its session cookie, CSRF tokens and signing out, on a live server.
@Suite("Workbench sessions")
struct WorkbenchSessionTests {
    @Test func signingInSetsAnHttpOnlyStrictSessionCookieWithAnExpiry() async throws {
        try await WorkbenchFixture.with { workbench in
            let unsigned = try await workbench.get("/analyst")
            #expect(unsigned.status == .seeOther)
            #expect(unsigned.headers[.location] == "/analyst/sign-in")
            let form = try await workbench.get("/analyst/sign-in")
            #expect(form.status == .ok)
            let page = String(buffer: form.body)
            #expect(page.contains("method=post action=\"/analyst/sign-in\""))
            #expect(page.contains("type=password name=token"))
            let check = try #require(WorkbenchFixture.cookie("taxlink_signin", in: form))
            let csrf = try #require(WorkbenchFixture.hiddenCSRF(in: page))
            let answer = try await workbench.post(
                "/analyst/sign-in",
                form: [("token", "an-token"), ("csrf", csrf)],
                cookie: "taxlink_signin=\(check)"
            )
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/analyst")
            let cookie = try #require(WorkbenchFixture.setCookie("taxlink_session", in: answer))
            let attributes = Set(
                cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            )
            #expect(attributes.contains("HttpOnly"))
            #expect(attributes.contains("SameSite=Strict"))
            #expect(attributes.contains("Path=/analyst"))
            #expect(attributes.contains("Max-Age=28800"))
            #expect(attributes.contains { $0.hasPrefix("Expires=") })
            #expect(!attributes.contains("Secure"))
            let session = try #require(WorkbenchFixture.cookie("taxlink_session", in: answer))
            let signedIn = try await workbench.get("/analyst", session: session)
            #expect(signedIn.status == .ok)
            #expect(String(buffer: signedIn.body).contains("Nguyễn Văn An"))
        }
    }

    @Test func theCookieIsSecureWhenServedOverTLS() async throws {
        try await WorkbenchFixture.with { workbench in
            let tls: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https"]
            let form = try await workbench.get("/analyst/sign-in", headers: tls)
            let check = try #require(WorkbenchFixture.cookie("taxlink_signin", in: form))
            let csrf = try #require(WorkbenchFixture.hiddenCSRF(in: String(buffer: form.body)))
            let answer = try await workbench.post(
                "/analyst/sign-in",
                form: [("token", "an-token"), ("csrf", csrf)],
                cookie: "taxlink_signin=\(check)",
                headers: tls
            )
            let cookie = try #require(WorkbenchFixture.setCookie("taxlink_session", in: answer))
            #expect(cookie.split(separator: ";").contains { $0.trimmingCharacters(in: .whitespaces) == "Secure" })
        }
    }

    /// A sign-in posted without the form's own check, with an unknown token or another role's token
    /// starts no session.
    @Test func signInRefusals() async throws {
        try await WorkbenchFixture.with { workbench in
            let form = try await workbench.get("/analyst/sign-in")
            let check = try #require(WorkbenchFixture.cookie("taxlink_signin", in: form))
            let csrf = try #require(WorkbenchFixture.hiddenCSRF(in: String(buffer: form.body)))
            let cookie = "taxlink_signin=\(check)"
            let cases: [([(String, String)], String?, HTTPResponse.Status)] = [
                ([("token", "an-token")], cookie, .forbidden),
                ([("token", "an-token"), ("csrf", csrf)], nil, .forbidden),
                ([("token", "an-token"), ("csrf", "forged")], cookie, .forbidden),
                ([("token", "wrong"), ("csrf", csrf)], cookie, .unauthorized),
                ([("token", "operator-token"), ("csrf", csrf)], cookie, .forbidden),
            ]
            for (fields, cookie, status) in cases {
                let answer = try await workbench.post("/analyst/sign-in", form: fields, cookie: cookie)
                #expect(answer.status == status)
                #expect(WorkbenchFixture.cookie("taxlink_session", in: answer) == nil)
            }
        }
    }

    @Test func aFormPostedWithoutItsCSRFTokenIsRefused() async throws {
        try await WorkbenchFixture.with(findings: 3) { workbench in
            let session = try await workbench.signIn("an-token")
            let cookie = "taxlink_session=\(session)"
            for fields in [
                [("status", "acknowledged"), ("note", "x")],
                [("status", "acknowledged"), ("note", "x"), ("csrf", "forged")],
            ] {
                let refused = try await workbench.post("/analyst/findings/f-0", form: fields, cookie: cookie)
                #expect(refused.status == .forbidden)
            }
            #expect(try await workbench.post("/analyst/sign-out", form: [], cookie: cookie).status == .forbidden)
            #expect(try await workbench.store.findingRow(id: "f-0")?.workflow.status == "open")
            #expect(try await workbench.get("/analyst", session: session).status == .ok)
        }
    }

    @Test func aSignedOutCookieNoLongerWorks() async throws {
        try await WorkbenchFixture.with(findings: 1) { workbench in
            let session = try await workbench.signIn("an-token")
            let csrf = try await workbench.csrf(session)
            let out = try await workbench.post(
                "/analyst/sign-out",
                form: [("csrf", csrf)],
                cookie: "taxlink_session=\(session)"
            )
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/analyst/sign-in")
            #expect(WorkbenchFixture.setCookie("taxlink_session", in: out)?.contains("Max-Age=0") == true)
            for uri in ["/analyst", "/analyst/export.csv"] {
                let refused = try await workbench.get(uri, session: session)
                #expect(refused.status == .seeOther)
                #expect(refused.headers[.location] == "/analyst/sign-in")
            }
            let post = try await workbench.post(
                "/analyst/findings/f-0",
                form: [("status", "acknowledged"), ("note", "x"), ("csrf", csrf)],
                cookie: "taxlink_session=\(session)"
            )
            #expect(post.status == .seeOther && post.headers[.location] == "/analyst/sign-in")
            #expect(try await workbench.store.findingRow(id: "f-0")?.workflow.status == "open")
        }
    }

    @Test func anExpiredSessionIsRefused() async throws {
        try await WorkbenchFixture.with { workbench in
            let session = try await workbench.signIn("an-token")
            workbench.clock.advance(seconds: 8 * 3600 - 1)
            #expect(try await workbench.get("/analyst", session: session).status == .ok)
            workbench.clock.advance(seconds: 1)
            #expect(try await workbench.get("/analyst", session: session).status == .seeOther)
        }
    }

    /// No token in any URL, link or form action of the pages served, and no bearer token anywhere in
    /// them; every form that posts carries the session's CSRF token.
    @Test func noTokenInAnyURLOfTheWorkbench() async throws {
        try await WorkbenchFixture.with(findings: 120) { workbench in
            let session = try await workbench.signIn("an-token")
            var pages = [String(buffer: try await workbench.get("/analyst/sign-in").body)]
            for uri in ["/analyst", "/analyst?platform=shopee&status=open", "/analyst?limit=50&offset=50"] {
                let page = try await workbench.get(uri, session: session)
                #expect(page.status == .ok)
                pages.append(String(buffer: page.body))
            }
            for page in pages {
                #expect(!page.contains("an-token"))
                for url in Self.urls(in: page) {
                    #expect(!url.lowercased().contains("token"), "a URL of the page names a token: \(url)")
                }
                #expect(Self.postForms(in: page).allSatisfy { $0.contains("name=csrf") })
            }
        }
    }

    /// Every `href`, `src` and `action` value of a page.
    static func urls(in html: String) -> [String] {
        var urls: [String] = []
        for attribute in ["href=\"", "src=\"", "action=\""] {
            var rest = html[...]
            while let start = rest.range(of: attribute) {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                urls.append(String(rest[..<end]))
            }
        }
        return urls
    }

    /// The markup of every form that posts.
    static func postForms(in html: String) -> [String] {
        html.components(separatedBy: "<form").dropFirst().filter { $0.lowercased().contains("method=post") }
            .map { $0.components(separatedBy: "</form>").first ?? $0 }
    }
}
