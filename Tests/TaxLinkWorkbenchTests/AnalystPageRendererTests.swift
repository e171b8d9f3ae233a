import Foundation
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkWorkbench
import Testing

@Suite("Findings page rendering")
struct AnalystPageRendererTests {
    @Test func vietnameseByDefaultEnglishOnRequest() {
        let vi = AnalystPageRenderer.render(PageSamples.model([PageSamples.finding("tiki")]))
        #expect(vi.contains("<html lang=\"vi\">"))
        #expect(vi.contains("Sai lệch") && vi.contains("Kỳ tính thuế") && vi.contains("nghiêm trọng"))
        #expect(!vi.contains("Discrepancies"))
        let en = AnalystPageRenderer.render(
            PageSamples.model([PageSamples.finding("tiki")], context: PageSamples.context(.en))
        )
        #expect(en.contains("<html lang=\"en\">"))
        #expect(en.contains("Discrepancies") && en.contains("Tax period") && en.contains("critical"))
        #expect(!en.contains("Kỳ tính thuế"))
    }

    @Test(
        "đồng with the thousands separator of the language",
        arguments: [
            (0, WorkbenchLanguage.vi, "0\u{A0}₫"), (1_234_567, .vi, "1.234.567\u{A0}₫"),
            (1_234_567, .en, "1,234,567\u{A0}₫"),
            (-1000, .vi, "-1.000\u{A0}₫"), (999, .en, "999\u{A0}₫"),
            (Int64.max, .vi, "9.223.372.036.854.775.807\u{A0}₫"),
            (Int64.min, .en, "-9,223,372,036,854,775,808\u{A0}₫"),
        ] as [(Int64, WorkbenchLanguage, String)]
    )
    func dong(amount: Int64, language: WorkbenchLanguage, expected: String) {
        #expect(WorkbenchFormat.vnd(amount, language: language) == expected)
    }

    @Test func timesAreVietnamTimeLabelled() {
        #expect(WorkbenchFormat.vietnamTime(PageSamples.detected, language: .vi) == "02/12/2026 00:30 (giờ VN)")
        #expect(WorkbenchFormat.vietnamTime(PageSamples.detected, language: .en) == "02/12/2026 00:30 (ICT)")
        let history = [
            "f-1": [
                FindingHistoryEntry(
                    at: PageSamples.detected,
                    from: .open,
                    to: .acknowledged,
                    actor: "Lan",
                    note: "ok",
                    reason: "analyst"
                )
            ]
        ]
        let html = AnalystPageRenderer.render(PageSamples.model([PageSamples.finding("tiki")], history: history))
        #expect(html.contains("<time datetime=\"2026-12-01T17:30:00Z\">02/12/2026 00:30 (giờ VN)</time>"))
        // The only UTC times are machine-readable attributes.
        let visible = html.replacingOccurrences(of: "datetime=\"2026-12-01T17:30:00Z\"", with: "")
        #expect(!visible.contains("2026-12-01T17:30:00Z"))
    }

    @Test func amountsAreDongAndExpectedActualAreLabelledAmounts() {
        let html = AnalystPageRenderer.render(PageSamples.model([PageSamples.finding("tiki")]))
        #expect(html.contains("1.234.567\u{A0}₫"))
        #expect(html.contains("2.500.000\u{A0}₫"))
        #expect(html.contains("Thuế GTGT: 1.000\u{A0}₫"))
        #expect(html.contains("Thuế TNCN: 0\u{A0}₫"))
        #expect(html.contains("<dt>Dự kiến</dt>") && html.contains("<dt>Thực tế</dt>"))
        #expect(!html.contains("{\"vat\""))
    }

    @Test("every string from a feed or a person is escaped", arguments: PageSamples.hostile)
    func hostileStringsAreEscaped(text: String) {
        var query = PageSamples.pagedQuery(limit: 1)
        query.platform = text
        query.seller = text
        let history = [
            text: [
                FindingHistoryEntry(
                    at: PageSamples.detected,
                    from: nil,
                    to: .open,
                    actor: text,
                    note: text,
                    reason: text
                )
            ]
        ]
        let context = WorkbenchContext(
            language: .vi,
            actorName: text,
            csrfToken: text,
            currentURL: "/analyst?x=" + text
        )
        let model = PageSamples.model(
            [PageSamples.finding(text, id: text)],
            total: 3,
            query: query,
            context: context,
            history: history
        )
        var withTotals = model
        withTotals.byCode = [FindingTotal(key: text, count: 1, amountAtRisk: 1)]
        withTotals.byPlatform = [FindingTotal(key: text, count: 1, amountAtRisk: 1)]
        withTotals.unknownPlatform = [text]
        let pages = [
            AnalystPageRenderer.render(withTotals),
            WorkbenchLayout.errorPage(status: 400, message: text, back: "/analyst?platform=" + text, context: context),
            AnalystPageRenderer.bulkConfirmation(
                BulkOutcome(
                    target: .resolved,
                    changed: [text],
                    failures: [.init(id: text, reason: text)],
                    filters: [("platform", text)]
                ),
                context: context
            ),
        ]
        for html in pages {
            MarkupChecks.expectNoActiveContent(html)
            #expect(!html.contains(text))
        }
    }

    @Test func everyControlHasALabelAndThePageHasNoScript() {
        let findings = (1...3).map { PageSamples.finding("tiki", id: "f-\($0)") }
        for language in WorkbenchLanguage.allCases {
            let html = AnalystPageRenderer.render(
                PageSamples.model(
                    findings,
                    total: 250,
                    query: PageSamples.pagedQuery(limit: 100, offset: 100),
                    context: PageSamples.context(language)
                )
            )
            MarkupChecks.expectEveryControlLabelled(html)
            MarkupChecks.expectNoActiveContent(html)
            #expect(MarkupChecks.tags("input", in: html).count > 10)
        }
    }

    @Test func stableHooksForBrowsers() {
        let html = AnalystPageRenderer.render(PageSamples.model([PageSamples.finding("tiki", id: "f-9")]))
        for hook in [
            "id=\"filter-platform\"", "id=\"filter-period\"", "id=\"filter-status\"", "name=status",
            "id=\"filter-apply\"",
            "data-finding-id=\"f-9\"", "id=\"bulk-form\"", "id=\"select-f-9\"", "id=\"export-csv\"",
            "id=\"language-switch\"",
            "id=\"sign-out-form\"", "id=\"note-f-9\"",
        ] {
            #expect(html.contains(hook), "\(hook)")
        }
    }

    @Test func chartBarsAndTotalsLinkToTheFilteredList() {
        var query = PageSamples.pagedQuery(limit: 50, offset: 100)
        query.platform = "tiki"
        let html = AnalystPageRenderer.render(PageSamples.model([PageSamples.finding("tiki")], query: query))
        #expect(html.contains("<a href=\"/analyst?platform=tiki&amp;code=DECLARATION_MISMATCH&amp;limit=50\""))
        #expect(html.contains("<a href=\"/analyst?platform=tiki&amp;period=2026-01&amp;limit=50\">2026-01</a>"))
        #expect(html.contains("viewBox=\"0 0 720 "))
        #expect(!html.contains("<svg width="))
        #expect(html.contains("id=\"totals-code\""))
        #expect(html.contains("<caption>Số liệu của biểu đồ</caption>"))
    }

    @Test func pageNumbers() {
        let model = PageSamples.model(
            [PageSamples.finding("tiki")],
            total: 1_000,
            query: PageSamples.pagedQuery(limit: 100, offset: 500)
        )
        let html = AnalystPageRenderer.render(model)
        for page in [1, 3, 4, 5, 6, 7, 8, 9, 10] { #expect(html.contains("id=\"page-\(page)\""), "page \(page)") }
        #expect(!html.contains("id=\"page-2\""))
        #expect(html.contains("aria-current=page id=\"page-6\""))
        #expect(html.contains("id=\"page-next\"") && html.contains("id=\"page-previous\""))
        #expect(html.contains("Sai lệch 501–501 trên tổng số 1.000"))
    }

    @Test(
        "the pager at the edges of Int",
        arguments: [(Int.max, 1), (Int.max, Int.max), (1, Int.max), (Int.max - 1, 2), (0, 1)]
    )
    func pagerAtTheEdges(offset: Int, limit: Int) {
        let model = PageSamples.model([], total: 5, query: PageSamples.pagedQuery(limit: limit, offset: offset))
        _ = AnalystPageRenderer.render(model)
    }

    @Test func noticesForUnknownFiltersAndTheCap() {
        var query = PageSamples.pagedQuery(limit: AnalystPageModel.maximumLimit)
        query.platform = "tikii"
        query.period = "2030-01"
        var model = PageSamples.model([], query: query)
        model.unknownPlatform = ["shopee", "tiki"]
        model.unknownPeriod = ["2026-01"]
        model.cappedLimit = 5_000
        let html = AnalystPageRenderer.render(model)
        #expect(html.contains("Không có dữ liệu nào của nền tảng “tikii”"))
        #expect(html.contains("shopee, tiki"))
        #expect(html.contains("Không có dữ liệu nào trong kỳ 2030-01"))
        #expect(html.contains("tối đa 200 dòng (đã yêu cầu 5.000)"))
        #expect(html.contains("Không có sai lệch nào khớp bộ lọc"))
        #expect(!html.contains("id=\"totals\""))
    }

    @Test func theErrorPageSaysWhatWasWrongAndLeadsBack() {
        let html = WorkbenchLayout.errorPage(
            status: 400,
            message: "period: expected YYYY-MM",
            back: "/analyst?platform=tiki",
            context: PageSamples.context(.en)
        )
        #expect(html.contains("Error 400"))
        #expect(html.contains("period: expected YYYY-MM"))
        #expect(html.contains("<a id=\"error-back\" href=\"/analyst?platform=tiki\">"))
        let offSite = WorkbenchLayout.errorPage(
            status: 400,
            message: "x",
            back: "https://evil.example/",
            context: PageSamples.context()
        )
        #expect(offSite.contains("href=\"/analyst\""))
        #expect(WorkbenchLayout.safeBack("//evil.example") == "/analyst")
        #expect(WorkbenchLayout.safeBack("/analystx") == "/analyst")
    }
}
