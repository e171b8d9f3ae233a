import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The schedule page (`/analyst/schedule?platform=&period=`): the 01-1/BK-CNKD-TMĐT schedule computed
/// from the connector's records beside the platform's declaration in force, row by row, differences
/// marked; with the XML, CSV and JSON downloads of the computed schedule.
///
/// Stable hooks for tests: `#schedule-form`, `data-platform` and `data-period` on `#schedule`,
/// `#schedule-comparison` (rows `data-seller-id`, `data-group`, `data-outcome`; differing cells
/// `class=diff`), `#schedule-totals`, `#schedule-downloads`, `#schedule-unknown` (nothing for the platform
/// and period), `#schedule-no-declaration`.
public enum SchedulePage {
    /// The page with only the form, filled with `platform` and `period` when given.
    public static func form(platform: String?, period: String?, context: WorkbenchContext) -> String {
        let text = context.text
        let body =
            "<h1>\(DrillDownMarkup.html(text.scheduleTitle))</h1>\n"
            + form(platform: platform ?? "", period: period ?? "", context: context)
        return WorkbenchLayout.page(title: text.scheduleTitle, context: context, body: body)
    }

    /// The page of `comparison`.
    public static func render(_ comparison: ScheduleComparison, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        let schedule = comparison.schedule
        let platform = schedule.platform
        let period = schedule.period.description
        var body = "<h1>\(html(text.scheduleTitle))</h1>\n"
        body += form(platform: platform, period: period, context: context)
        body += "<section id=\"schedule\" data-platform=\"\(html(platform))\" data-period=\"\(period)\">"
        body += DrillDownMarkup.heading("schedule-heading", text.scheduleHeading(platform: platform, period: period))
        body += downloads(platform: platform, period: period, context: context)
        if comparison.rows.isEmpty, schedule.excluded.isEmpty {
            body += "<p class=notice id=\"schedule-unknown\" role=status>"
            body += html(text.nothingForPlatform(platform, period: period)) + "</p>\n"
        } else {
            body += declarationLine(comparison, context: context)
            body += "<p id=\"schedule-differences\">"
            body += html(text.rowsDiffer(comparison.differing.count, of: comparison.rows.count)) + "</p>\n"
            body += ComparisonTable.render(
                id: "schedule-comparison",
                labelledBy: "schedule-heading",
                comparison.rows,
                leading: .seller,
                context: context
            )
            body += totals(comparison, context: context)
            body += ComparisonTable.exclusions(schedule.excluded, context: context)
        }
        body += "</section>\n"
        return WorkbenchLayout.page(
            title: "\(text.scheduleTitle) — \(platform) \(period)",
            context: context,
            body: body
        )
    }

    private static func form(platform: String, period: String, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        return """
            <form class=filters id="schedule-form" method=get action="/analyst/schedule">\
            <label for="schedule-platform">\(html(text.platform))\
            <input id="schedule-platform" name=platform required value="\(html(platform))" placeholder="shopee"></label>\
            <label for="schedule-period">\(html(text.period))\
            <input id="schedule-period" name=period required value="\(html(period))" placeholder="YYYY-MM" \
            pattern="[0-9]{4}-[0-9]{2}"></label>\
            <button id="schedule-open">\(html(text.openSchedule))</button></form>

            """
    }

    private static func downloads(platform: String, period: String, context: WorkbenchContext) -> String {
        let links = ["xml", "csv", "json"].map { format in
            DrillDownMarkup.link(
                format.uppercased(),
                DrillDownLinks.schedule(platform: platform, period: period, format: format),
                attributes: "id=\"schedule-download-\(format)\" download"
            )
        }
        return "<p class=links id=\"schedule-downloads\">\(DrillDownMarkup.html(context.text.downloads)): "
            + links.joined() + "</p>\n"
    }

    private static func declarationLine(_ comparison: ScheduleComparison, context: WorkbenchContext) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        guard let declaration = comparison.declaration else {
            return "<p class=notice id=\"schedule-no-declaration\">\(html(text.noDeclaration))</p>\n"
        }
        var line = "<p id=\"schedule-declaration\">"
        line += html(text.declarationInForce(version: declaration.version, feedID: declaration.feedID))
        line += " · \(html(text.receivedAt)) " + DrillDownMarkup.time(declaration.receivedAt, context) + "</p>\n"
        return line
    }

    /// Σ of each side: the computed schedule's totals beside the sum of the declared rows.
    private static func totals(_ comparison: ScheduleComparison, context: WorkbenchContext) -> String {
        let text = context.text
        let computed = comparison.schedule.totals
        let declared = comparison.declaration == nil ? nil : comparison.declaredTotals
        let html = DrillDownMarkup.html
        func row(_ label: String, _ figures: WithheldFigures?, id: String) -> String {
            var tr = "<tr id=\"\(id)\"><th scope=row>\(html(label))</th>"
            tr += DrillDownMarkup.numberCell(text.revenue, DrillDownMarkup.money(figures?.revenue, context))
            tr += DrillDownMarkup.numberCell(text.vat, DrillDownMarkup.money(figures?.vat, context))
            tr += DrillDownMarkup.numberCell(text.pit, DrillDownMarkup.money(figures?.pit, context))
            return tr + "</tr>"
        }
        var table = "<table class=cards id=\"schedule-totals\"><caption>\(html(text.totals))</caption><thead><tr>"
        table += "<th scope=col></th><th scope=col>\(html(text.revenue))</th><th scope=col>\(html(text.vat))</th>"
        table += "<th scope=col>\(html(text.pit))</th></tr></thead><tbody>"
        table += row(
            text.computed,
            WithheldFigures(revenue: computed.revenue, vat: computed.vat, pit: computed.pit),
            id: "schedule-totals-computed"
        )
        table += row(text.declared, declared, id: "schedule-totals-declared")
        return table + "</tbody></table>\n"
    }
}
