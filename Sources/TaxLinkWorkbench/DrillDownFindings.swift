import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The findings table of the record and seller views: code, severity, status, expected and actual as
/// labelled amounts, tax at risk, and a link to the finding in the list and to its record.
enum DrillDownFindings {
    /// A table `id` of `findings`; the one whose id is `current` is marked as the one the analyst came from.
    static func table(
        id: String,
        labelledBy heading: String,
        _ findings: [StoredFinding],
        current: String? = nil,
        context: WorkbenchContext
    ) -> String {
        let text = context.text
        guard !findings.isEmpty else { return "<p id=\"\(id)-none\">\(DrillDownMarkup.html(text.noFindings))</p>\n" }
        let columns = [
            text.severity, text.code, text.status, text.period, text.recordOrOrder, text.expectedAndActual,
            text.taxAtRisk, text.detected,
        ]
        let rows = findings.map { row($0, current: current, context: context) }
        return DrillDownMarkup.table(id: id, labelledBy: heading, columns: columns, rows: rows)
    }

    private static func row(_ finding: StoredFinding, current: String?, context: WorkbenchContext) -> String {
        let text = context.text
        let language = context.language
        let content = finding.content
        let html = DrillDownMarkup.html
        let cell = DrillDownMarkup.cell
        let isCurrent = content.id == current
        var row = "<tr data-finding-id=\"\(html(content.id))\"\(isCurrent ? " class=current aria-current=true" : "")>"
        row += cell(
            text.severity,
            "<span class=sev-\(content.severity.rawValue)>\(html(text.name(of: content.severity)))</span>"
        )
        var code = "<code>\(content.code.rawValue)</code>"
        if isCurrent { code += " " + html(text.thisFinding) }
        code += "<br><small>\(html(content.detail))</small>"
        row += cell(text.code, code)
        row += cell(text.status, html(text.name(of: finding.status)))
        row += cell(text.period, html(content.taxPeriod ?? "—"))
        let subject =
            content.recordID.map {
                DrillDownMarkup.link(
                    $0,
                    DrillDownLinks.record($0, finding: content.id),
                    attributes: "class=record-link"
                )
            } ?? html(content.externalID ?? "—")
        row += cell(text.recordOrOrder, subject)
        let values =
            "<dl class=amounts><dt>\(html(text.expected))</dt>"
            + "<dd>\(AnalystPageRenderer.value(content.expected, text, language))</dd>"
            + "<dt>\(html(text.actual))</dt><dd>\(AnalystPageRenderer.value(content.actual, text, language))</dd></dl>"
        row += cell(text.expectedAndActual, values)
        row += DrillDownMarkup.numberCell(text.taxAtRisk, DrillDownMarkup.money(content.amountAtRisk, context))
        row += cell(text.detected, DrillDownMarkup.time(finding.detectedAt, context))
        return row + "</tr>\n"
    }
}
