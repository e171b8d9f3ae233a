import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkServer
import TaxLinkStore
import TestSupport
import Testing

@Suite("Analyst routes")
struct RouteTests {
    static func application(_ store: SQLiteStore) throws -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configuration.tokens = try TokenRegistry.parse(
            "a-token analyst\np-token platform:tiki\no-token operator\ng-token gateway:vnpay"
        )
        return Application(router: buildRouter(configuration: configuration, stores: Stores(store)))
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    /// A store with the samples and one order whose tax id would be markup.
    static func withReconciledStore(_ body: (SQLiteStore) async throws -> Void) async throws {
        try await withTemporaryStore { store in
            try await SampleFeedsTests.ingestSamples(into: store)
            try await store.push([Order("x") { $0.taxID = "<img src=x onerror=alert(1)>" }])
            try await store.reconcile()
            try await body(store)
        }
    }

    @Test func onlyAnalystsAndOperatorsReadReports() async throws {
        try await Self.withReconciledStore { store in
            try await Self.application(store).test(.router) { client in
                for path in ["/v1/discrepancies", "/v1/schedules/tiki/2026-01"] {
                    try await client.execute(uri: path, method: .get) { #expect($0.status == .unauthorized) }
                    for token in ["p-token", "g-token"] {
                        try await client.execute(uri: path, method: .get, headers: Self.bearer(token)) {
                            #expect($0.status == .forbidden)
                            #expect($0.headers[.contentType] == "application/problem+json")
                        }
                    }
                    for token in ["a-token", "o-token"] {
                        try await client.execute(uri: path, method: .get, headers: Self.bearer(token)) {
                            #expect($0.status == .ok)
                        }
                    }
                }
                try await client.execute(uri: "/v1/discrepancies/d-1", method: .patch, headers: Self.bearer("o-token"))
                {
                    #expect($0.status == .forbidden)
                }
            }
        }
    }

    @Test func theReportComesAsJSONOrCSVWithFilters() async throws {
        try await Self.withReconciledStore { store in
            try await Self.application(store).test(.router) { client in
                try await client.execute(
                    uri: "/v1/discrepancies?platform=tiki&limit=3",
                    method: .get,
                    headers: Self.bearer("a-token")
                ) {
                    #expect($0.headers[.contentType] == "application/json")
                    #expect($0.headers[HTTPField.Name("X-Total-Count")!] == "9")
                    #expect((try? JSONParser.parse(Array($0.body.readableBytesView)))?.arrayValue?.count == 3)
                }
                var headers = Self.bearer("a-token")
                headers[.accept] = "text/csv"
                for (uri, fields) in [
                    ("/v1/discrepancies?code=SETTLEMENT_MISMATCH", headers),
                    ("/v1/discrepancies?code=SETTLEMENT_MISMATCH&format=csv", Self.bearer("a-token")),
                ] {
                    try await client.execute(uri: uri, method: .get, headers: fields) {
                        #expect($0.headers[.contentType] == "text/csv; charset=utf-8")
                        let text = String(buffer: $0.body)
                        #expect(text.hasPrefix(DiscrepancyReport.fields.joined(separator: ",") + "\r\n"))
                        #expect(text.split(separator: "\r\n").count == 2)
                    }
                }
                try await client.execute(
                    uri: "/v1/discrepancies?code=BOGUS",
                    method: .get,
                    headers: Self.bearer("a-token")
                ) {
                    #expect($0.status == .badRequest)
                }
                try await client.execute(
                    uri: "/v1/schedules/tiki/2026-01?format=xml",
                    method: .get,
                    headers: Self.bearer("a-token")
                ) {
                    #expect(String(buffer: $0.body).contains("<BangKe"))
                }
                try await client.execute(
                    uri: "/v1/schedules/tiki/2026-1",
                    method: .get,
                    headers: Self.bearer("a-token")
                ) {
                    #expect($0.status == .badRequest)
                }
            }
        }
    }

    @Test func statusChangesFollowTheWorkflow() async throws {
        try await Self.withReconciledStore { store in
            let id = try #require(
                try await store.findings(try FindingQuery(parameters: ["code": "SETTLEMENT_MISSING"])).findings.first?
                    .content.id
            )
            try await Self.application(store).test(.router) { client in
                func patch(_ target: String, _ body: String, _ check: @escaping (TestResponse) throws -> Void)
                    async throws
                {
                    try await client.execute(
                        uri: "/v1/discrepancies/\(target)",
                        method: .patch,
                        headers: [.authorization: "Bearer a-token", .contentType: "application/json"],
                        body: ByteBuffer(string: body)
                    ) { try check($0) }
                }
                try await patch(id, #"{"status":"acknowledged","note":"đã liên hệ Tiki"}"#) {
                    #expect($0.status == .ok)
                    #expect((try? JSONParser.parse(Array($0.body.readableBytesView)))?["status"] == "acknowledged")
                }
                try await patch(id, #"{"status":"acknowledged","note":"lại"}"#) { #expect($0.status == .conflict) }
                try await patch(id, #"{"status":"done","note":"x"}"#) { #expect($0.status == .badRequest) }
                try await patch(id, #"{"status":"resolved"}"#) { #expect($0.status == .badRequest) }
                try await patch(id, "not json") { #expect($0.status == .badRequest) }
                try await patch("d-unknown", #"{"status":"resolved","note":"x"}"#) { #expect($0.status == .notFound) }
                try await patch(id, #"{"status":"resolved","note":"đã nhận tiền"}"#) { #expect($0.status == .ok) }
            }
            let history = try await store.findingHistory(ids: [id])[id] ?? []
            #expect(history.map(\.actor) == ["reconciler", "analyst", "analyst"])
        }
    }

    @Test func theAnalystPageIsSelfContainedEscapedAndSessionGated() async throws {
        try await Self.withReconciledStore { store in
            try await Self.application(store).test(.router) { client in
                for headers in [HTTPFields(), Self.bearer("a-token"), [.cookie: "taxlink_session=forged"]] {
                    try await client.execute(uri: "/analyst?token=a-token", method: .get, headers: headers) {
                        #expect($0.status == .seeOther)
                        #expect($0.headers[.location] == "/analyst/sign-in")
                    }
                }
                for token in ["o-token", "p-token", "wrong"] {
                    await #expect(throws: WorkbenchSignIn.Failure.self) {
                        try await WorkbenchSignIn.session(client, token: token)
                    }
                }
                let session = WorkbenchSignIn.cookieHeader(try await WorkbenchSignIn.session(client, token: "a-token"))
                try await client.execute(uri: "/analyst?platform=tiki&sort=detected", method: .get, headers: session) {
                    #expect($0.status == .ok)
                    #expect($0.headers[.contentType] == "text/html; charset=utf-8")
                    let html = String(buffer: $0.body)
                    #expect(html.contains("<meta charset=\"utf-8\">"))
                    #expect(html.contains("<svg"))
                    #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
                    #expect(!html.contains("<img"))
                    for external in ["<script", "<link", " src=\"", "@import", "url("] {
                        #expect(!html.contains(external))
                    }
                    #expect(html.contains("/analyst/export.csv?platform=tiki"))
                    #expect(!html.contains("a-token"))
                    #expect(html.contains("TAX_ID_INVALID"))
                }
                try await client.execute(uri: "/analyst/export.csv?platform=tiki", method: .get, headers: session) {
                    #expect($0.status == .ok)
                    #expect(String(buffer: $0.body).hasPrefix("id,code,"))
                }
                try await client.execute(uri: "/analyst/export.csv", method: .get, headers: Self.bearer("g-token")) {
                    #expect($0.status == .forbidden)
                }
                try await client.execute(
                    uri: "/analyst/schedule?platform=tiki&period=2026-01&format=xml", method: .get, headers: session
                ) {
                    #expect(String(buffer: $0.body).contains("<ct09>"))
                }
            }
        }
    }

    @Test func thePageFormChangesAStatus() async throws {
        try await Self.withReconciledStore { store in
            let id = try #require(
                try await store.findings(try FindingQuery(parameters: ["code": "SETTLEMENT_MISMATCH"])).findings.first?
                    .content.id
            )
            try await Self.application(store).test(.router) { client in
                let cookie = try await WorkbenchSignIn.session(client, token: "a-token")
                let csrf = try await WorkbenchSignIn.csrf(client, session: cookie)
                var headers = WorkbenchSignIn.cookieHeader(cookie)
                headers[.contentType] = "application/x-www-form-urlencoded"
                let form = "csrf=\(csrf)&status=acknowledged&note=%C4%91%C3%A3+xem&return=platform%3Dshopee"
                try await client.execute(
                    uri: "/analyst/findings/\(id)", method: .post, headers: headers, body: ByteBuffer(string: form)
                ) {
                    #expect($0.status == .seeOther)
                    #expect($0.headers[.location]?.hasPrefix("/analyst?platform=shopee") == true)
                }
                try await client.execute(
                    uri: "/analyst/findings/\(id)", method: .post, headers: headers,
                    body: ByteBuffer(string: "status=resolved&note=x")
                ) { #expect($0.status == .forbidden) }
            }
            let finding = try await store.finding(id: id)
            #expect(finding?.status == .acknowledged)
            #expect(try await store.findingHistory(ids: [id])[id]?.last?.note == "đã xem")
        }
    }
}
