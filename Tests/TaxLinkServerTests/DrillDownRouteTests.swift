import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The drill-down pages over a live server, signed in: the record view, the seller view, search, the
/// schedule page and its files; unknown ids are 404 pages; feed strings are escaped and no URL of a
/// page carries a token.
@Suite struct DrillDownRouteTests {
    typealias Samples = DrillDownSamples

    static let recordPath = "/analyst/records/shopee%3Asale%3AORD-1"

    /// Runs `body` signed in, over the drill-down samples.
    static func withPages(_ body: @escaping @Sendable (WorkbenchFixture, String) async throws -> Void) async throws {
        try await WorkbenchFixture.with { fixture in
            try await Samples.store(in: fixture.store)
            try await body(fixture, try await fixture.signIn("an-token"))
        }
    }

    @Test func theRecordViewShowsEveryRevisionWithItsFeedBatchReceiptAndFindings() async throws {
        try await Self.withPages { fixture, session in
            let answer = try await fixture.get(Self.recordPath + "?finding=f-rec", session: session)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: answer.body)
            #expect(html.contains("data-record-id=\"shopee:sale:ORD-1\""))
            #expect(html.contains("id=\"revisions\""))
            #expect(html.contains("data-revision=\"1\"") && html.contains("data-revision=\"2\" data-latest=true"))
            #expect(html.contains("data-feed-id=\"f-000001\"") && html.contains("data-feed-id=\"f-000002\""))
            #expect(html.contains("<code>LATE_REPORT</code>"))
            // Amounts in đồng, times in Vietnam time (1 768 100 000 is 11/01/2026 09:53 in Hanoi).
            #expect(html.contains("2.000.000\u{00A0}₫") && html.contains("1.234.567\u{00A0}₫"))
            #expect(html.contains("11/01/2026 09:53 (giờ VN)"))
            #expect(html.contains("data-batch-id=\"b-1\"") && html.contains(">sealed<"))
            #expect(html.contains("data-finding-id=\"f-rec\" class=current aria-current=true"))
            #expect(html.contains("data-finding-id=\"f-other\""))
            #expect(html.contains("href=\"/analyst/sellers/S1?platform=shopee\""))
        }
    }

    @Test func aRecordIDWithPathCharactersOpensItsOwnView() async throws {
        try await Self.withPages { fixture, session in
            let answer = try await fixture.get("/analyst/records/shopee%3Asale%3AORD%202%2Fx%3F%23", session: session)
            #expect(answer.status == .ok)
            let html = String(buffer: answer.body)
            #expect(html.contains("data-record-id=\"shopee:sale:ORD 2/x?#\""))
            #expect(html.contains("id=\"batches-none\""))
            #expect(html.contains("id=\"record-findings-none\""))
        }
    }

    @Test(arguments: [
        "/analyst/records/shopee%3Asale%3Anone", "/analyst/records/%00", "/analyst/records/%E0%A4%A",
        "/analyst/sellers/nobody", "/analyst/sellers/S1?platform=tiki",
    ])
    func unknownIDsAreNotFoundPagesWithAWayBack(path: String) async throws {
        try await Self.withPages { fixture, session in
            let answer = try await fixture.get(path, session: session)
            #expect(answer.status == .notFound)
            let html = String(buffer: answer.body)
            #expect(html.contains("id=\"error-message\"") && html.contains("id=\"error-back\" href=\"/analyst\""))
        }
    }

    @Test func theSellerViewSetsDeclaredBesideComputedPerPeriod() async throws {
        try await Self.withPages { fixture, session in
            let answer = try await fixture.get("/analyst/sellers/S1?platform=shopee", session: session)
            #expect(answer.status == .ok)
            let html = String(buffer: answer.body)
            #expect(html.contains("data-seller-id=\"S1\""))
            #expect(html.contains("id=\"seller-periods\""))
            // 2 000 000 + 500 000 computed against 2 400 000 declared.
            #expect(html.contains("data-outcome=\"differs\" data-seller-id=\"S1\" data-period=\"2026-01\""))
            #expect(html.contains("2.500.000\u{00A0}₫") && html.contains("2.400.000\u{00A0}₫"))
            #expect(html.contains("data-record-id=\"shopee:sale:ORD-1\"") && html.contains("ORD 2/x?#"))
            #expect(!html.contains("data-record-id=\"lazada:sale:ORD-1\""))
            #expect(html.contains("id=\"seller-findings\"") && html.contains("data-finding-id=\"f-seller\""))
            let bad = try await fixture.get("/analyst/sellers/S1?offset=-1", session: session)
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("id=\"error-back\""))
        }
    }

    @Test func searchFindsByOrderRecordAndTaxIDAndGoesStraightToASingleHit() async throws {
        try await Self.withPages { fixture, session in
            let both = try await fixture.get("/analyst/search?q=ORD-1", session: session)
            #expect(both.status == .ok)
            let html = String(buffer: both.body)
            #expect(
                html.contains("data-record-id=\"lazada:sale:ORD-1\"")
                    && html.contains("data-record-id=\"shopee:sale:ORD-1\"")
            )
            let record = try await fixture.get("/analyst/search?q=%20shopee%3Asale%3AORD-1%20", session: session)
            #expect(record.status == .seeOther && record.headers[.location] == Self.recordPath)
            let seller = try await fixture.get("/analyst/search?q=0100-233-488", session: session)
            #expect(seller.status == .seeOther && seller.headers[.location] == "/analyst/sellers/S1?platform=shopee")
            let person = try await fixture.get("/analyst/search?q=001099012345", session: session)
            #expect(person.status == .seeOther && person.headers[.location] == "/analyst/sellers/L9?platform=lazada")
            let nothing = try await fixture.get("/analyst/search?q=no-such-order", session: session)
            #expect(nothing.status == .ok && String(buffer: nothing.body).contains("id=\"search-nothing\""))
            let form = try await fixture.get("/analyst/search", session: session)
            #expect(form.status == .ok && String(buffer: form.body).contains("id=\"search-form\""))
            let long = try await fixture.get(
                "/analyst/search?q=" + String(repeating: "9", count: 201),
                session: session
            )
            #expect(long.status == .badRequest)
        }
    }

    @Test func theSchedulePageSetsTheDeclarationBesideTheComputedScheduleRowByRow() async throws {
        try await Self.withPages { fixture, session in
            let answer = try await fixture.get("/analyst/schedule?platform=shopee&period=2026-01", session: session)
            #expect(answer.status == .ok)
            let html = String(buffer: answer.body)
            #expect(html.contains("id=\"schedule-comparison\""))
            #expect(html.contains("data-outcome=\"differs\" data-seller-id=\"S1\""))
            #expect(html.contains("data-outcome=\"not_in_records\" data-seller-id=\"S-ghost\""))
            #expect(html.contains("class=\"num diff\" data-figure=\"revenue\""))
            #expect(html.contains("id=\"schedule-declaration\""))
            #expect(html.contains("href=\"/analyst/schedule?platform=shopee&amp;period=2026-01&amp;format=xml\""))
            let unknown = try await fixture.get("/analyst/schedule?platform=nowhere&period=2026-01", session: session)
            #expect(unknown.status == .ok && String(buffer: unknown.body).contains("id=\"schedule-unknown\""))
            let undeclared = try await fixture.get("/analyst/schedule?platform=lazada&period=2026-01", session: session)
            #expect(String(buffer: undeclared.body).contains("id=\"schedule-no-declaration\""))
            let form = try await fixture.get("/analyst/schedule", session: session)
            #expect(form.status == .ok && String(buffer: form.body).contains("id=\"schedule-form\""))
            let bad = try await fixture.get("/analyst/schedule?platform=shopee&period=2026-13", session: session)
            #expect(bad.status == .badRequest && String(buffer: bad.body).contains("id=\"error-back\""))
        }
    }

    @Test(arguments: [("xml", "<ct09>"), ("csv", "row_type,category"), ("json", "\"form\":\"01-1/BK-CNKD-TMĐT\"")])
    func theScheduleFilesAreStillServed(format: String, marker: String) async throws {
        try await Self.withPages { fixture, session in
            let answer = try await fixture.get(
                "/analyst/schedule?platform=shopee&period=2026-01&format=\(format)",
                session: session
            )
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("text/html") == false)
            #expect(String(buffer: answer.body).contains(marker))
        }
    }

    @Test func everyDrillDownPageEscapesFeedStringsAndPutsNoTokenInAnyURL() async throws {
        try await Self.withPages { fixture, session in
            for path in Self.pages {
                let answer = try await fixture.get(path, session: session)
                #expect(answer.status == .ok, "\(path)")
                let html = String(buffer: answer.body)
                #expect(!html.contains("<script") && !html.contains("<img"), "\(path) has unescaped markup")
                if !path.hasPrefix("/analyst/search") {
                    #expect(html.contains("&lt;script&gt;") && html.contains("&quot;&gt;&lt;img"), "\(path)")
                }
                #expect(answer.headers[.cacheControl] == "no-store", "\(path)")
                for url in Self.urls(in: html) {
                    #expect(!url.contains("token") && !url.contains("an-token"), "\(path) links to \(url)")
                }
            }
        }
    }

    @Test func signedOutVisitorsAreSentToSignIn() async throws {
        try await Self.withPages { fixture, _ in
            for path in Self.pages {
                let answer = try await fixture.get(path)
                #expect(answer.status == .seeOther && answer.headers[.location] == "/analyst/sign-in", "\(path)")
            }
        }
    }

    /// Every drill-down page with sample content.
    static let pages = [
        recordPath, "/analyst/sellers/S1", "/analyst/sellers/S1?platform=shopee", "/analyst/search?q=ORD-1",
        "/analyst/schedule?platform=shopee&period=2026-01",
    ]

    /// Every `href`, `action` and `src` of a page.
    static func urls(in html: String) -> [String] {
        var urls: [String] = []
        for attribute in ["href", "action", "src"] {
            var rest = html[...]
            while let range = rest.range(of: " \(attribute)=\"") {
                let tail = rest[range.upperBound...]
                guard let end = tail.firstIndex(of: "\"") else { break }
                urls.append(String(tail[..<end]))
                rest = tail[end...]
            }
        }
        return urls
    }
}
