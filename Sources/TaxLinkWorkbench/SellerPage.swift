import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// What the seller view shows.
public struct SellerPageModel: Sendable {
    /// The seller's id on its platform.
    public var sellerID: String
    /// The platform the view is narrowed to, if any.
    public var platform: String?
    /// A page of the seller's latest records, the most recent first.
    public var records: LookupRecordPage
    /// How many records were skipped before the page.
    public var offset: Int
    /// How many records a page holds.
    public var limit: Int
    /// The figures per platform, period and group beside the declarations.
    public var figures: SellerPeriodFigures
    /// The seller's findings, the largest tax at risk first (a page of them).
    public var findings: FindingPage

    /// Every field, as named.
    public init(
        sellerID: String,
        platform: String?,
        records: LookupRecordPage,
        offset: Int,
        limit: Int,
        figures: SellerPeriodFigures,
        findings: FindingPage
    ) {
        self.sellerID = sellerID
        self.platform = platform
        self.records = records
        self.offset = offset
        self.limit = limit
        self.figures = figures
        self.findings = findings
    }

    /// Whether nothing at all is known of the seller (the view answers 404).
    public var isUnknown: Bool { records.total == 0 && findings.total == 0 && figures.rows.isEmpty }
}

/// The seller view (`/analyst/sellers/{sellerID}[?platform=]`): declared vs computed figures per period,
/// the seller's records (paged) and its findings.
///
/// Stable hooks for tests: `data-seller-id` on `#seller`, `#seller-periods` (rows `data-period`,
/// `data-outcome`), `#seller-records` (rows `data-record-id`), `#seller-findings` (rows `data-finding-id`).
public enum SellerPage {
    /// The page of `model`.
    public static func render(_ model: SellerPageModel, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        var body = "<section id=\"seller\" data-seller-id=\"\(html(model.sellerID))\">"
        body += "<h1>\(html(text.sellerTitle(model.sellerID)))</h1>\n"
        if let row = model.figures.rows.first {
            body += "<p id=\"seller-identity\">\(html(row.sellerName))"
            if let taxID = row.taxID { body += " · <code>\(html(taxID))</code>" }
            body += "</p>\n"
        }
        body += DrillDownMarkup.heading("seller-periods-heading", text.declaredVsComputed)
        body += ComparisonTable.render(
            id: "seller-periods",
            labelledBy: "seller-periods-heading",
            model.figures.rows,
            leading: .period,
            context: context
        )
        body += ComparisonTable.exclusions(model.figures.excluded, context: context)
        body += DrillDownMarkup.heading("seller-records-heading", text.sellerRecords)
        body += records(model, context: context)
        body += DrillDownMarkup.heading("seller-findings-heading", text.sellerFindings)
        body += DrillDownFindings.table(
            id: "seller-findings",
            labelledBy: "seller-findings-heading",
            model.findings.findings,
            context: context
        )
        if model.findings.total > model.findings.findings.count {
            var filters = [(name: "seller", value: model.sellerID)]
            if let platform = model.platform { filters.insert((name: "platform", value: platform), at: 0) }
            body +=
                "<p>" + DrillDownMarkup.link(text.allSellerFindings, WorkbenchFormat.url("/analyst", filters)) + "</p>"
        }
        body += "</section>\n"
        return WorkbenchLayout.page(title: text.sellerTitle(model.sellerID), context: context, body: body)
    }

    private static func records(_ model: SellerPageModel, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        let cell = DrillDownMarkup.cell
        let page = model.records
        let first = page.rows.isEmpty ? 0 : model.offset + 1
        var markup = "<p id=\"seller-records-count\">"
        markup += html(text.recordsShown(first: first, last: model.offset + page.rows.count, total: page.total))
        markup += "</p>\n"
        let rows = page.rows.map { row in
            var tr = "<tr data-record-id=\"\(html(row.recordID))\">"
            tr += cell(text.recordOrOrder, DrillDownMarkup.link(row.recordID, DrillDownLinks.record(row.recordID)))
            tr += cell(text.platform, html(row.platform))
            tr += cell(text.kind, html(row.kind))
            tr += cell(text.period, html(row.taxPeriod))
            tr += cell(text.occurredAt, DrillDownMarkup.time(row.occurredAt, context))
            tr += cell(text.revision, "\(row.revision)")
            tr += cell(text.recordStatus, html(row.status))
            let flags = row.flags.map { "<code>\(html($0))</code>" }.joined(separator: " ")
            tr += cell(text.flags, flags.isEmpty ? html(text.noFlags) : flags)
            return tr + "</tr>\n"
        }
        if !rows.isEmpty {
            markup += DrillDownMarkup.table(
                id: "seller-records",
                labelledBy: "seller-records-heading",
                columns: [
                    text.recordOrOrder, text.platform, text.kind, text.period, text.occurredAt, text.revision,
                    text.recordStatus, text.flags,
                ],
                rows: rows
            )
        }
        return markup + pager(model, context: context)
    }

    /// Previous and next pages of the records; offsets are checked so no sum can overflow.
    private static func pager(_ model: SellerPageModel, context: WorkbenchContext) -> String {
        let text = context.text
        func url(_ offset: Int) -> String {
            var parameters: [(name: String, value: String)] = []
            if let platform = model.platform { parameters.append((name: "platform", value: platform)) }
            if offset > 0 { parameters.append((name: "offset", value: String(offset))) }
            return WorkbenchFormat.url("/analyst/sellers/" + WorkbenchFormat.percentEncoded(model.sellerID), parameters)
        }
        var links: [String] = []
        if model.offset > 0 {
            let previous = model.offset > model.limit ? model.offset - model.limit : 0
            links.append(DrillDownMarkup.link(text.previousPage, url(previous), attributes: "rel=prev"))
        }
        let (end, overflow) = model.offset.addingReportingOverflow(model.limit)
        if !overflow, end < model.records.total {
            links.append(DrillDownMarkup.link(text.nextPage, url(end), attributes: "rel=next"))
        }
        guard !links.isEmpty else { return "" }
        return "<nav class=pager aria-label=\"\(DrillDownMarkup.html(text.pages))\">" + links.joined() + "</nav>\n"
    }
}
