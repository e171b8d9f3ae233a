import HTTPTypes
import HummingbirdTesting
import NIOCore
import TaxLinkReconcile
import Testing

@Suite("Bulk status changes")
struct WorkbenchBulkTests {
    @Test func theSelectedFindingsChangeWithOneNoteByThePerson() async throws {
        try await WorkbenchHTTP.with(findings: 4) { workbench in
            let answer = try await workbench.post(
                "/analyst/findings/bulk",
                form: [
                    ("csrf", workbench.csrf), ("scope", "selected"), ("ids[]", "f-0"), ("ids[]", "f-2"),
                    ("to", "acknowledged"), ("note", "đã xem cả hai"), ("filter", "platform=shopee"),
                ]
            )
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: answer.body)
            #expect(html.contains("data-changed=\"2\""))
            #expect(html.contains("Đã chuyển 2 sai lệch sang “đã tiếp nhận”."))
            #expect(html.contains("<a id=\"bulk-back\" href=\"/analyst?platform=shopee\">"))
            for id in ["f-0", "f-2"] {
                let state = try await workbench.state(id)
                #expect(state.status == .acknowledged)
                #expect(state.last?.actor == "Nguyễn Thị Lan")
                #expect(state.last?.note == "đã xem cả hai")
            }
            #expect(try await workbench.state("f-1").status == .open)
            #expect(try await workbench.state("f-3").status == .open)
        }
    }

    @Test func everyFindingTheFilterMatchesChanges() async throws {
        try await WorkbenchHTTP.with(findings: 7) { workbench in
            let answer = try await workbench.post(
                "/analyst/findings/bulk",
                form: [
                    ("csrf", workbench.csrf), ("scope", "filter"), ("to", "resolved"), ("note", "kỳ đã khai lại"),
                    ("filter", "platform=tiki&limit=1&offset=1"),
                ]
            )
            #expect(answer.status == .ok)
            #expect(String(buffer: answer.body).contains("data-changed=\"3\""))
            for index in 0..<7 {
                let state = try await workbench.state("f-\(index)")
                #expect(state.status == (index % 2 == 1 ? .resolved : .open), "f-\(index)")
                if index % 2 == 1 { #expect(state.last?.actor == "Nguyễn Thị Lan") }
            }
        }
    }

    @Test func theConfirmationNamesWhatFailedAndWhy() async throws {
        try await WorkbenchHTTP.with(findings: 3) { workbench in
            _ = try await workbench.post(
                "/analyst/findings/bulk",
                form: [("csrf", workbench.csrf), ("ids[]", "f-1"), ("to", "resolved"), ("note", "xong")]
            )
            let answer = try await workbench.post(
                "/analyst/findings/bulk",
                form: [
                    ("csrf", workbench.csrf), ("ids[]", "f-0"), ("ids[]", "f-1"), ("ids[]", "no-such"),
                    ("to", "acknowledged"), ("note", "xem"),
                ]
            )
            let html = String(buffer: answer.body)
            #expect(html.contains("data-changed=\"1\""))
            #expect(html.contains("data-failed=\"2\""))
            #expect(
                html.contains(
                    "<li data-finding-id=\"f-1\"><code>f-1</code>: a finding cannot move from resolved to acknowledged</li>"
                )
            )
            #expect(html.contains("<li data-finding-id=\"no-such\"><code>no-such</code>: no finding with id"))
            #expect(try await workbench.state("f-1").status == .resolved)
        }
    }

    @Test(
        "a bulk form without the session's CSRF token, a note or a choice is an error page",
        arguments: [
            ([("ids[]", "f-0"), ("to", "resolved"), ("note", "x")], HTTPResponse.Status.forbidden),
            ([("csrf", "forged"), ("ids[]", "f-0"), ("to", "resolved"), ("note", "x")], .forbidden),
            ([("csrf", "$CSRF"), ("ids[]", "f-0"), ("to", "resolved"), ("note", " ")], .badRequest),
            ([("csrf", "$CSRF"), ("to", "resolved"), ("note", "x")], .badRequest),
            ([("csrf", "$CSRF"), ("ids[]", "f-0"), ("to", "open"), ("note", "x")], .badRequest),
            (
                [("csrf", "$CSRF"), ("ids[]", "f-0"), ("scope", "everything"), ("to", "resolved"), ("note", "x")],
                .badRequest
            ),
        ] as [([(String, String)], HTTPResponse.Status)]
    )
    func refusedForms(form: [(String, String)], status: HTTPResponse.Status) async throws {
        try await WorkbenchHTTP.with(findings: 1) { workbench in
            let fields = form.map { ($0.0, $0.1 == "$CSRF" ? workbench.csrf : $0.1) } + [("filter", "platform=shopee")]
            let answer = try await workbench.post("/analyst/findings/bulk", form: fields)
            #expect(answer.status == status)
            #expect(answer.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: answer.body)
            #expect(html.contains("id=\"error-message\""))
            #expect(html.contains("<a id=\"error-back\" href=\"/analyst?platform=shopee\">"))
            #expect(try await workbench.state("f-0").status == .open)
        }
    }
}
