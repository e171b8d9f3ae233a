import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TaxLinkReconcile
import TaxLinkWorkbench
import Testing

@Suite("Findings page over HTTP")
struct WorkbenchPageTests {
    @Test func languageFromAcceptLanguageAndFromTheSwitch() async throws {
        try await WorkbenchHTTP.with(findings: 2) { workbench in
            #expect(String(buffer: try await workbench.get("/analyst").body).contains("<html lang=\"vi\">"))
            let english = try await workbench.get("/analyst", headers: [.acceptLanguage: "en-GB,en;q=0.9"])
            #expect(String(buffer: english.body).contains("<html lang=\"en\">"))
            let switched = try await workbench.get("/analyst/language?lang=en&back=%2Fanalyst%3Fplatform%3Dtiki")
            #expect(switched.status == .seeOther)
            #expect(switched.headers[.location] == "/analyst?platform=tiki")
            let cookie = try #require(switched.headers[values: .setCookie].first { $0.hasPrefix("lang=en") })
            #expect(
                cookie.contains("Path=/analyst") && cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly")
            )
            let page = try await workbench.get(
                "/analyst?platform=tiki",
                headers: [.cookie: "lang=en", .acceptLanguage: "vi"]
            )
            #expect(String(buffer: page.body).contains("Findings 1–1 of 1"))
            let offSite = try await workbench.get("/analyst/language?lang=vi&back=https%3A%2F%2Fevil.example%2F")
            #expect(offSite.headers[.location] == "/analyst")
        }
    }

    @Test(
        "a bad filter is an error page keeping the other filters",
        arguments: [
            ("/analyst?platform=tiki&period=2026-13", "period"), ("/analyst?platform=tiki&status=closed", "status"),
            ("/analyst?platform=tiki&limit=-1", "limit"),
        ]
    )
    func badFilterIsAPage(uri: String, name: String) async throws {
        try await WorkbenchHTTP.with(findings: 1) { workbench in
            let answer = try await workbench.get(uri)
            #expect(answer.status == .badRequest)
            #expect(answer.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: answer.body)
            #expect(html.contains("id=\"error-message\""))
            #expect(html.contains("\(name): "))
            #expect(html.contains("<a id=\"error-back\" href=\"/analyst?platform=tiki\">"))
            #expect(html.contains("id=\"sign-out-form\""))
        }
    }

    @Test func unknownPlatformAndPeriodAreSaidSo() async throws {
        try await WorkbenchHTTP.with(findings: 2) { workbench in
            let html = String(buffer: try await workbench.get("/analyst?platform=tikii&period=2031-01").body)
            #expect(html.contains("Không có dữ liệu nào của nền tảng “tikii”"))
            #expect(html.contains("Các nền tảng có dữ liệu: shopee, tiki."))
            #expect(html.contains("Không có dữ liệu nào trong kỳ 2031-01. Các kỳ có dữ liệu: 2026-01, 2026-02."))
            let known = String(buffer: try await workbench.get("/analyst?platform=tiki&period=2026-01").body)
            #expect(!known.contains("Không có dữ liệu nào"))
        }
    }

    @Test func theLimitIsCappedAndSaidSo() async throws {
        try await WorkbenchHTTP.with(findings: 205) { workbench in
            let html = String(buffer: try await workbench.get("/analyst?limit=5000").body)
            #expect(html.components(separatedBy: "<tr id=").count - 1 == AnalystPageModel.maximumLimit)
            #expect(html.contains("tối đa 200 dòng (đã yêu cầu 5.000)"))
            #expect(html.contains("id=\"page-2\""))
        }
    }

    @Test(
        "feed strings are escaped on the page",
        arguments: ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"]
    )
    func hostileFeedStrings(text: String) async throws {
        try await WorkbenchHTTP.with(findings: 2, text: text) { workbench in
            let html = String(buffer: try await workbench.get("/analyst").body)
            #expect(html.contains("data-finding-id=\"f-0\""))
            MarkupChecks.expectNoActiveContent(html)
            #expect(!html.contains(text))
            MarkupChecks.expectEveryControlLabelled(html)
        }
    }

    @Test(
        "a stale or forged status form is an error page leading back to the filters",
        arguments: [
            ("forged", "resolved", HTTPResponse.Status.forbidden), ("$CSRF", "acknowledged", .conflict),
        ]
    )
    func staleStatusForm(csrf: String, status: String, expected: HTTPResponse.Status) async throws {
        try await WorkbenchHTTP.with(findings: 1) { workbench in
            let form = [
                ("csrf", workbench.csrf), ("status", "resolved"), ("note", "xong"), ("return", "platform=shopee"),
            ]
            #expect(try await workbench.post("/analyst/findings/f-0", form: form).status == .seeOther)
            let stale = [
                ("csrf", csrf == "$CSRF" ? workbench.csrf : csrf), ("status", status), ("note", "lại"),
                ("return", "platform=shopee"),
            ]
            let answer = try await workbench.post("/analyst/findings/f-0", form: stale)
            #expect(answer.status == expected)
            #expect(answer.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: answer.body).contains("<a id=\"error-back\" href=\"/analyst?platform=shopee\">"))
            #expect(try await workbench.state("f-0").status == .resolved)
        }
    }
}
