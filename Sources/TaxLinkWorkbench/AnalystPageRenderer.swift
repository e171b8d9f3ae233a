import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// Renders the findings page inside ``WorkbenchLayout``: self-contained HTML (inline CSS and SVG, no
/// scripts, fonts or other requests), every value from a feed or a person HTML-escaped, every control
/// labelled, in the context's language.
///
/// Stable hooks for tests and browsers: the filter controls `filter-platform`, `filter-period`,
/// `filter-code`, `filter-severity`, `filter-status`, `filter-seller`, `filter-sort`, `filter-limit`,
/// `filter-apply`; the exports `export-csv`, `export-csv-bom`, `export-json`; the findings table
/// `findings` with one `tr[data-finding-id]` per finding; the bulk form `bulk-form`.
public enum AnalystPageRenderer {
    /// The page of `model`.
    public static func render(_ model: AnalystPageModel) -> String {
        let text = model.context.text
        var body = "<h1>\(html(text.findingsHeading))</h1>\n"
        body += notices(model)
        body += filterForm(model)
        body += exportLinks(model)
        if model.page.total > 0 { body += totals(model) }
        body += bulkForm(model)
        body += findingsTable(model)
        body += pager(model)
        return WorkbenchLayout.page(title: text.findingsTitle, context: model.context, body: body)
    }

    /// The filters of `query` as URL parameters: the filters and the order, never the page.
    public static func filterParameters(_ query: FindingQuery) -> [(name: String, value: String)] {
        query.parameters.filter { $0.name != "limit" && $0.name != "offset" }
    }

    static func html(_ text: String) -> String { WorkbenchFormat.html(text) }

    private static func notices(_ model: AnalystPageModel) -> String {
        let text = model.context.text
        var notices: [String] = []
        if let known = model.unknownPlatform, let platform = model.query.platform {
            notices.append(text.unknownPlatform(platform, known: known))
        }
        if let known = model.unknownPeriod, let period = model.query.period {
            notices.append(text.unknownPeriod(period, known: known))
        }
        if let asked = model.cappedLimit {
            notices.append(text.limitCapped(asked: asked, cap: AnalystPageModel.maximumLimit))
        }
        return notices.map { "<p class=notice role=status>\(html($0))</p>\n" }.joined()
    }

    private static let codes = DiscrepancyCode.allCases.filter { $0 != .amountInvalid }

    private static func filterForm(_ model: AnalystPageModel) -> String {
        let query = model.query
        let text = model.context.text
        func select(_ name: String, _ label: String, _ options: [(value: String, label: String)], _ chosen: String?)
            -> String
        {
            var markup = "<label for=\"filter-\(name)\">\(html(label))<select id=\"filter-\(name)\" name=\(name)>"
            markup += "<option value=\"\">\(html(text.all))</option>"
            for option in options {
                markup += "<option value=\"\(html(option.value))\"\(option.value == chosen ? " selected" : "")>"
                markup += "\(html(option.label))</option>"
            }
            return markup + "</select></label>"
        }
        func field(_ name: String, _ label: String, _ value: String?, _ placeholder: String) -> String {
            "<label for=\"filter-\(name)\">\(html(label))<input id=\"filter-\(name)\" name=\(name) "
                + "value=\"\(html(value ?? ""))\" placeholder=\"\(html(placeholder))\" size=12></label>"
        }
        var form = "<form class=filters id=\"filter-form\" method=get action=\"/analyst\" "
        form += "aria-label=\"\(html(text.filters))\">"
        form += field("platform", text.platform, query.platform, "shopee")
        form += field("period", text.period, query.period, "YYYY-MM")
        form += select("code", text.code, codes.map { ($0.rawValue, $0.rawValue) }, query.codes.first?.rawValue)
        form += select(
            "severity",
            text.severity,
            FindingSeverity.allCases.map { ($0.rawValue, text.name(of: $0)) },
            query.severities.first?.rawValue
        )
        form += select(
            "status",
            text.status,
            FindingStatus.allCases.map { ($0.rawValue, text.name(of: $0)) },
            query.statuses.first?.rawValue
        )
        form += field("seller", text.seller, query.seller, "")
        form += "<label for=\"filter-sort\">\(html(text.sort))<select id=\"filter-sort\" name=sort>"
        form += "<option value=amount>\(html(text.sortAmount))</option><option value=detected"
        form += "\(query.sort == .detected ? " selected" : "")>\(html(text.sortDetected))</option></select></label>"
        form += "<label for=\"filter-limit\">\(html(text.perPage))<select id=\"filter-limit\" name=limit>"
        for size in [50, AnalystPageModel.defaultLimit, AnalystPageModel.maximumLimit] {
            form += "<option\(size == query.limit ? " selected" : "")>\(size)</option>"
        }
        return form + "</select></label><button id=\"filter-apply\">\(html(text.applyFilters))</button></form>\n"
    }

    private static func exportLinks(_ model: AnalystPageModel) -> String {
        let text = model.context.text
        let filters = filterParameters(model.query)
        var links = "<p class=links>\(html(text.exports)) "
        links += WorkbenchFormat.link(text.exportCSV, "/analyst/export.csv", filters, attributes: "id=\"export-csv\"")
        links += WorkbenchFormat.link(
            text.exportCSVForExcel,
            "/analyst/export.csv",
            filters + [(name: "bom", value: "1")],
            attributes: "id=\"export-csv-bom\""
        )
        links += WorkbenchFormat.link(
            text.exportJSON,
            "/analyst/export.json",
            filters,
            attributes: "id=\"export-json\""
        )
        return links + "</p>\n"
    }
}
