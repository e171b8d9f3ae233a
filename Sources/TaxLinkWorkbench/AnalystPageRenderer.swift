import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// What the analyst page shows.
public struct AnalystPageModel: Sendable {
    /// The filters, order and page shown.
    public var query: FindingQuery
    /// The findings of the page.
    public var page: FindingPage
    /// The history of each finding on the page.
    public var history: [String: [FindingHistoryEntry]]
    /// The totals of the filtered findings per code.
    public var byCode: [FindingTotal]
    /// The totals per platform.
    public var byPlatform: [FindingTotal]
    /// The totals per tax period.
    public var byPeriod: [FindingTotal]
    /// The analyst token, carried in the page's links and forms (browsers cannot send bearer headers).
    public var token: String

    /// Every field, as named.
    public init(
        query: FindingQuery,
        page: FindingPage,
        history: [String: [FindingHistoryEntry]],
        byCode: [FindingTotal],
        byPlatform: [FindingTotal],
        byPeriod: [FindingTotal],
        token: String
    ) {
        self.query = query
        self.page = page
        self.history = history
        self.byCode = byCode
        self.byPlatform = byPlatform
        self.byPeriod = byPeriod
        self.token = token
    }
}

/// Renders the analyst page: self-contained HTML (inline CSS and SVG, no scripts, fonts or other
/// requests), every value HTML-escaped.
public enum AnalystPageRenderer {
    /// The page of `model`.
    public static func render(_ model: AnalystPageModel) -> String {
        var html = head("TaxLink — discrepancies")
        html += "<h1>Discrepancies</h1>\n"
        html += filterForm(model)
        html += "<p class=links>" + link("Export CSV", "/analyst/export.csv", model.query.parameters, model.token)
        html += " · " + scheduleForm(model) + "</p>\n"
        html += "<section class=totals><div><h2>Tax at risk by code</h2>\(chart(model.byCode))</div>\n"
        html +=
            "<div>\(totalsTable("Platform", model.byPlatform))\(totalsTable("Period", model.byPeriod))</div></section>\n"
        html += findingsTable(model)
        html += pager(model)
        return html + "</body></html>\n"
    }

    /// The page asking for the analyst token.
    public static func login(message: String?) -> String {
        var html = head("TaxLink — analyst sign-in")
        html += "<h1>Analyst page</h1>\n"
        if let message { html += "<p class=error>\(escape(message))</p>\n" }
        html += """
            <form method=get action="/analyst"><label>Analyst token <input type=password name=token required \
            autocomplete=off></label> <button>Open</button></form>
            </body></html>

            """
        return html
    }

    static func head(_ title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="vi"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>\(escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d2330}
        h1{font-size:1.5em;margin:0 0 .5em}h2{font-size:1.1em;margin:.8em 0 .4em}
        form.filters{display:flex;flex-wrap:wrap;gap:.5em;align-items:end;background:#f2f4f8;padding:.6em;border-radius:6px}
        form.filters label{display:flex;flex-direction:column;font-size:.85em}
        input,select,button{font:inherit;padding:.2em .4em}
        table{border-collapse:collapse;margin:.4em 0}th,td{border-bottom:1px solid #dde2ea;padding:.25em .5em;text-align:left;vertical-align:top}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .totals{display:flex;flex-wrap:wrap;gap:2em}
        .sev-critical{color:#fff;background:#b3261e;border-radius:3px;padding:0 .3em}
        .sev-warning{background:#f6c343;border-radius:3px;padding:0 .3em}.sev-info{color:#555}
        details{font-size:.9em}code{font-size:.85em;word-break:break-all}.error{color:#b3261e}
        .pager a{margin-right:1em}.links{margin:.6em 0}
        </style></head><body>

        """
    }

    private static let codes = DiscrepancyCode.allCases.filter { $0 != .amountInvalid }

    private static func filterForm(_ model: AnalystPageModel) -> String {
        let query = model.query
        func select(_ name: String, _ label: String, _ options: [String], _ chosen: String?) -> String {
            var html = "<label>\(label)<select name=\(name)><option value=\"\">all</option>"
            for option in options {
                html += "<option\(option == chosen ? " selected" : "")>\(escape(option))</option>"
            }
            return html + "</select></label>"
        }
        func text(_ name: String, _ label: String, _ value: String?, _ placeholder: String) -> String {
            "<label>\(label)<input name=\(name) value=\"\(escape(value ?? ""))\" placeholder=\"\(placeholder)\" size=12></label>"
        }
        var html = "<form class=filters method=get action=\"/analyst\">"
        html += "<input type=hidden name=token value=\"\(escape(model.token))\">"
        html += text("platform", "Platform", query.platform, "shopee")
        html += text("period", "Period", query.period, "YYYY-MM")
        html += select("code", "Code", codes.map(\.rawValue), query.codes.first?.rawValue)
        html += select(
            "severity",
            "Severity",
            FindingSeverity.allCases.map(\.rawValue),
            query.severities.first?.rawValue
        )
        html += select("status", "Status", FindingStatus.allCases.map(\.rawValue), query.statuses.first?.rawValue)
        html += text("seller", "Seller id", query.seller, "")
        html += "<label>Sort<select name=sort><option value=amount>amount at risk</option>"
        html +=
            "<option value=detected\(query.sort == .detected ? " selected" : "")>detection time</option></select></label>"
        html += "<label>Per page<select name=limit>"
        for size in [50, 100, 500] {
            html += "<option\(size == (query.limit ?? 100) ? " selected" : "")>\(size)</option>"
        }
        return html + "</select></label><button>Filter</button></form>\n"
    }

    private static func scheduleForm(_ model: AnalystPageModel) -> String {
        """
        <form method=get action="/analyst/schedule" style="display:inline">Schedule 01-1/BK: \
        <input type=hidden name=token value="\(escape(model.token))">\
        <input name=platform placeholder=platform size=10 required value="\(escape(model.query.platform ?? ""))"> \
        <input name=period placeholder=YYYY-MM size=8 required value="\(escape(model.query.period ?? ""))"> \
        <select name=format><option>xml</option><option>csv</option><option>json</option></select> \
        <button>Open</button></form>
        """
    }

    private static func totalsTable(_ title: String, _ totals: [FindingTotal]) -> String {
        var html = "<table><tr><th>\(title)</th><th class=num>Findings</th><th class=num>Tax at risk (₫)</th></tr>"
        for total in totals {
            html += "<tr><td>\(escape(total.key ?? "—"))</td><td class=num>\(total.count)</td>"
            html += "<td class=num>\(money(total.amountAtRisk))</td></tr>"
        }
        return html + "</table>\n"
    }

    /// A horizontal bar chart of tax at risk per code, as inline SVG.
    static func chart(_ totals: [FindingTotal]) -> String {
        let rowHeight = 22
        let barWidth: Int64 = 360
        let largest = max(1, totals.map(\.amountAtRisk).max() ?? 1)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"\(max(1, totals.count) * rowHeight + 4)\" "
        svg += "role=\"img\" aria-label=\"Tax at risk by code\" font-size=\"12\" font-family=\"system-ui,sans-serif\">"
        for (index, total) in totals.enumerated() {
            let y = index * rowHeight + 2
            let width = Allocation.mulDiv(max(0, total.amountAtRisk), barWidth, largest)
            svg += "<text x=\"0\" y=\"\(y + 15)\">\(escape(total.key ?? "—"))</text>"
            svg += "<rect x=\"200\" y=\"\(y + 3)\" width=\"\(max(width, 1))\" height=\"16\" fill=\"#3d6fb6\"/>"
            svg +=
                "<text x=\"\(200 + width + 6)\" y=\"\(y + 15)\">\(money(total.amountAtRisk)) ₫ (\(total.count))</text>"
        }
        return svg + "</svg>"
    }
}
