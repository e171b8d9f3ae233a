import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The findings table: one row per finding (a card below 700 px), its expected and actual values as
/// labelled amounts, a checkbox for the bulk form, and its history with a status form.
extension AnalystPageRenderer {
    static func findingsTable(_ model: AnalystPageModel) -> String {
        let text = model.context.text
        let first = model.page.findings.isEmpty ? 0 : model.query.offset + 1
        let last = model.query.offset + model.page.findings.count
        var table = "<h2 id=\"findings-heading\" data-total=\"\(model.page.total)\">"
        table += html(text.findingsShown(first: first, last: last, total: model.page.total)) + "</h2>\n"
        guard !model.page.findings.isEmpty else { return table }
        let columns = [
            text.select, text.severity, text.code, text.platform, text.period, text.seller, text.recordOrOrder,
            text.expectedAndActual, text.taxAtRisk, text.status, text.detected,
        ]
        table += "<table class=cards id=\"findings\" aria-labelledby=\"findings-heading\"><thead><tr>"
        table += columns.map { "<th scope=col>\(html($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for finding in model.page.findings {
            table += row(finding, model: model)
        }
        return table + "</tbody></table>\n"
    }

    private static func row(_ finding: StoredFinding, model: AnalystPageModel) -> String {
        let text = model.context.text
        let language = model.context.language
        let content = finding.content
        let id = html(content.id)
        func cell(_ label: String, _ markup: String, _ attributes: String = "") -> String {
            "<td data-label=\"\(html(label))\"\(attributes)>\(markup)</td>"
        }
        var row = "<tr id=\"\(id)\" data-finding-id=\"\(id)\">"
        row += "<td><input type=checkbox form=\"bulk-form\" name=\"ids[]\" value=\"\(id)\" id=\"select-\(id)\">"
        row += "<label for=\"select-\(id)\" class=visually-hidden>\(html(text.selectFinding(content.id)))</label></td>"
        row += cell(
            text.severity,
            "<span class=sev-\(content.severity.rawValue)>\(html(text.name(of: content.severity)))</span>"
        )
        row += cell(text.code, "<code>\(content.code.rawValue)</code>")
        row += cell(text.platform, html(content.platform))
        row += cell(text.period, html(content.taxPeriod ?? "—"))
        var seller = content.platformSellerID.map { sellerLink($0) } ?? "—"
        if let category = content.category { seller += " / " + html(category) }
        if let taxID = content.taxID { seller += "<br><code>\(html(taxID))</code>" }
        row += cell(text.seller, seller)
        row += cell(text.recordOrOrder, recordCell(content))
        row += cell(text.expectedAndActual, expectedAndActual(content, text: text, language: language))
        row += cell(text.taxAtRisk, html(WorkbenchFormat.vnd(content.amountAtRisk, language: language)), " class=num")
        row += cell(text.status, html(text.name(of: finding.status)), " class=status")
        row += cell(text.detected, WorkbenchFormat.timeElement(finding.detectedAt, language: language))
        row += "</tr>\n<tr class=more data-details-for=\"\(id)\"><td colspan=11><details><summary>"
        row += "\(html(content.detail)) — \(html(text.historyAndChange))</summary>"
        row += historyList(model.history[content.id] ?? [], context: model.context)
        row += statusForm(finding, model: model)
        return row + "</details></td></tr>\n"
    }

    private static func sellerLink(_ seller: String) -> String {
        "<a href=\"/analyst/sellers/\(html(WorkbenchFormat.percentEncoded(seller)))\">\(html(seller))</a>"
    }

    private static func recordCell(_ content: FindingContent) -> String {
        if let recordID = content.recordID {
            let url = DrillDownLinks.record(recordID, finding: content.id)
            return "<a class=record-link href=\"\(html(url))\"><code>\(html(recordID))</code></a>"
        }
        return "<code>\(html(content.externalID ?? "—"))</code>"
    }

    private static func expectedAndActual(
        _ content: FindingContent,
        text: WorkbenchText,
        language: WorkbenchLanguage
    ) -> String {
        "<dl class=amounts><dt>\(html(text.expected))</dt><dd>\(value(content.expected, text, language))</dd>"
            + "<dt>\(html(text.actual))</dt><dd>\(value(content.actual, text, language))</dd></dl>"
    }

    /// A value of a finding as words: whole numbers as đồng, objects as labelled amounts, strings escaped.
    static func value(_ value: JSONValue, _ text: WorkbenchText, _ language: WorkbenchLanguage) -> String {
        switch value {
        case .null: return "—"
        case .bool(let flag): return html(text.yesNo(flag))
        case .number(let literal):
            return html(Int64(literal).map { WorkbenchFormat.vnd($0, language: language) } ?? literal)
        case .string(let string): return html(string)
        case .array(let elements): return elements.map { Self.value($0, text, language) }.joined(separator: ", ")
        case .object(let object):
            let members = object.members.map {
                "<span class=member>\(html(text.name(ofField: $0.key))): \(Self.value($0.value, text, language))</span>"
            }
            return members.joined(separator: "<br>")
        }
    }

    private static func historyList(_ entries: [FindingHistoryEntry], context: WorkbenchContext) -> String {
        let text = context.text
        var list = "<ol class=history>"
        for entry in entries {
            list += "<li>\(WorkbenchFormat.timeElement(entry.at, language: context.language)): "
            list += entry.from.map { html(text.name(of: $0)) + " → " } ?? ""
            list += "\(html(text.name(of: entry.to))) \(html(text.by)) <strong>\(html(entry.actor))</strong>"
            list += " (\(html(entry.reason)))"
            if let note = entry.note { list += ": \(html(note))" }
            list += "</li>"
        }
        return list + "</ol>"
    }

    private static func statusForm(_ finding: StoredFinding, model: AnalystPageModel) -> String {
        let text = model.context.text
        let targets = FindingStatus.allCases.filter { finding.status.allowsChange(to: $0) }
        guard !targets.isEmpty else { return "" }
        let id = html(finding.content.id)
        let back = WorkbenchFormat.queryString(model.query.parameters)
        var form = "<form class=status-form method=post "
        form += "action=\"/analyst/findings/\(html(WorkbenchFormat.percentEncoded(finding.content.id)))\">"
        form += model.context.csrfField
        form += "<input type=hidden name=return value=\"\(html(back))\">"
        form += "<label for=\"status-\(id)\">\(html(text.newStatus)) <select id=\"status-\(id)\" name=status>"
        form += targets.map { "<option value=\($0.rawValue)>\(html(text.name(of: $0)))</option>" }.joined()
        form += "</select></label> <label for=\"note-\(id)\">\(html(text.noteRequired)) <input id=\"note-\(id)\" "
        form += "name=note required size=30 maxlength=\(FindingWorkflow.maximumNoteLength)></label> "
        return form + "<button id=\"change-\(id)\">\(html(text.change))</button></form>"
    }
}
