import TaxLinkCore
import TaxLinkReconcile

/// The totals of the findings page: a bar chart of tax at risk per code (inline SVG that scales with
/// the screen, its figures also as a table), and the totals per platform and per period. Every bar and
/// every totals row links to the list filtered on its value.
extension AnalystPageRenderer {
    static func totals(_ model: AnalystPageModel) -> String {
        let text = model.context.text
        var section = "<section class=totals id=\"totals\"><div><h2>\(html(text.taxAtRiskByCode))</h2>"
        section += chart(model)
        section += totalsTable(model, model.byCode, .code, caption: text.chartFigures, id: "totals-code")
        section += "</div><div>"
        section += totalsTable(model, model.byPlatform, .platform, caption: text.platform, id: "totals-platform")
        section += totalsTable(model, model.byPeriod, .period, caption: text.period, id: "totals-period")
        return section + "</div></section>\n"
    }

    /// The findings list filtered on `key` of `dimension`, from the page's filters (first page).
    static func filteredURL(_ model: AnalystPageModel, _ dimension: FindingDimension, _ key: String) -> String? {
        var query = model.query
        query.offset = 0
        switch dimension {
        case .code:
            guard let code = DiscrepancyCode(rawValue: key) else { return nil }
            query.codes = [code]
        case .platform: query.platform = key
        case .period: query.period = key
        }
        return WorkbenchFormat.url("/analyst", query.parameters)
    }

    /// A horizontal bar chart of tax at risk per code, as inline SVG drawn in a 720-wide `viewBox`
    /// that scales to the screen; each bar links to its findings.
    static func chart(_ model: AnalystPageModel) -> String {
        let text = model.context.text
        let language = model.context.language
        let totals = model.byCode
        let rowHeight = 22
        let barWidth: Int64 = 300
        let largest = max(1, totals.map(\.amountAtRisk).max() ?? 1)
        let height = max(1, totals.count) * rowHeight + 4
        var svg = "<svg class=chart id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 \(height)\" "
        svg += "role=\"img\" aria-label=\"\(html(text.taxAtRiskByCode))\" font-size=\"12\" "
        svg += "font-family=\"system-ui,sans-serif\">"
        for (index, total) in totals.enumerated() {
            let y = index * rowHeight + 2
            let width = Allocation.mulDiv(max(0, total.amountAtRisk), barWidth, largest)
            let key = total.key ?? text.noValue
            var bar = "<text x=\"0\" y=\"\(y + 15)\">\(html(key))</text>"
            bar += "<rect x=\"200\" y=\"\(y + 3)\" width=\"\(max(width, 1))\" height=\"16\" fill=\"#3d6fb6\"/>"
            bar += "<text x=\"\(200 + width + 6)\" y=\"\(y + 15)\">"
            bar += "\(html(WorkbenchFormat.vnd(total.amountAtRisk, language: language))) (\(total.count))</text>"
            if let key = total.key, let url = filteredURL(model, .code, key) {
                svg += "<a href=\"\(html(url))\" aria-label=\"\(html(text.showFindings(of: key)))\">"
                svg += "<title>\(html(text.showFindings(of: key)))</title>\(bar)</a>"
            } else {
                svg += bar
            }
        }
        return svg + "</svg>"
    }

    private static func totalsTable(
        _ model: AnalystPageModel,
        _ totals: [FindingTotal],
        _ dimension: FindingDimension,
        caption: String,
        id: String
    ) -> String {
        let text = model.context.text
        let language = model.context.language
        var table = "<div class=scroll><table id=\"\(id)\"><caption>\(html(caption))</caption><thead><tr><th scope=col>"
        table += "\(html(caption))</th><th scope=col class=num>\(html(text.findingsCount))</th>"
        table += "<th scope=col class=num>\(html(text.taxAtRisk))</th></tr></thead><tbody>"
        for total in totals {
            let label = total.key ?? text.noValue
            let cell =
                total.key.flatMap { filteredURL(model, dimension, $0) }.map {
                    "<a href=\"\(html($0))\">\(html(label))</a>"
                } ?? html(label)
            table += "<tr><th scope=row>\(cell)</th>"
            table += "<td class=num>\(WorkbenchFormat.count(total.count, language: language))</td>"
            table += "<td class=num>\(html(WorkbenchFormat.vnd(total.amountAtRisk, language: language)))</td></tr>"
        }
        return table + "</tbody></table></div>\n"
    }
}
