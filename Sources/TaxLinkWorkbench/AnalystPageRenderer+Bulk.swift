import TaxLinkReconcile

/// The bulk form of the findings page (`POST /analyst/findings/bulk`) and the page confirming what it
/// changed. The form is one element above the table; each finding's checkbox joins it through its
/// `form` attribute, since the table's own status forms cannot be nested in it.
///
/// Fields: `csrf`, `scope` (`selected` or `filter`), `ids[]` (the checked findings), `to`
/// (`acknowledged` or `resolved`), `note`, and `filter` (the page's filters as a query string).
extension AnalystPageRenderer {
    /// The statuses a bulk change moves findings to.
    public static let bulkTargets: [FindingStatus] = [.acknowledged, .resolved]

    static func bulkForm(_ model: AnalystPageModel) -> String {
        guard model.page.total > 0 else { return "" }
        let text = model.context.text
        let filter = WorkbenchFormat.queryString(filterParameters(model.query))
        var form = "<form id=\"bulk-form\" method=post action=\"/analyst/findings/bulk\">"
        form += "<fieldset class=bulk><legend>\(html(text.bulkHeading))</legend>"
        form += model.context.csrfField
        form += "<input type=hidden name=filter value=\"\(html(filter))\">"
        form += "<label for=\"bulk-scope\" class=stack>\(html(text.bulkScope))<select id=\"bulk-scope\" name=scope>"
        form += "<option value=selected>\(html(text.bulkSelected))</option>"
        form += "<option value=filter>\(html(text.bulkAllMatching(model.page.total)))</option></select></label>"
        form += "<label for=\"bulk-to\" class=stack>\(html(text.newStatus))<select id=\"bulk-to\" name=to>"
        form += bulkTargets.map { "<option value=\($0.rawValue)>\(html(text.name(of: $0)))</option>" }.joined()
        form += "</select></label><label for=\"bulk-note\" class=stack>\(html(text.noteRequired))"
        form += "<input id=\"bulk-note\" name=note required size=30 maxlength=\(FindingWorkflow.maximumNoteLength)>"
        return form + "</label><button id=\"bulk-apply\">\(html(text.bulkApply))</button></fieldset></form>\n"
    }

    /// The page confirming a bulk change: how many changed, which failed and why, and the way back to
    /// the list with its filters.
    public static func bulkConfirmation(_ outcome: BulkOutcome, context: WorkbenchContext) -> String {
        let text = context.text
        let back = WorkbenchFormat.url("/analyst", outcome.filters)
        var body = "<h1>\(html(text.bulkHeading))</h1>\n"
        body += "<p class=done role=status id=\"bulk-changed\" data-changed=\"\(outcome.changed.count)\">"
        body += html(text.bulkChanged(outcome.changed.count, to: outcome.target)) + "</p>\n"
        if !outcome.failures.isEmpty {
            body += "<div class=notice id=\"bulk-failed\" data-failed=\"\(outcome.failures.count)\">"
            body += "<p>\(html(text.bulkFailed(outcome.failures.count)))</p><ul>"
            for failure in outcome.failures {
                body += "<li data-finding-id=\"\(html(failure.id))\"><code>\(html(failure.id))</code>: "
                body += "\(html(failure.reason))</li>"
            }
            body += "</ul></div>\n"
        }
        if outcome.remaining > 0 {
            body += "<p class=notice id=\"bulk-remaining\">"
            body += html(text.bulkRemaining(outcome.remaining, cap: BulkOutcome.maximumPerRequest)) + "</p>\n"
        }
        body += "<p><a id=\"bulk-back\" href=\"\(html(back))\">\(html(text.backToList))</a></p>\n"
        return WorkbenchLayout.page(title: text.bulkHeading, context: context, body: body)
    }
}

extension WorkbenchText {
    /// The heading of the bulk form and its confirmation.
    public var bulkHeading: String { pick(vi: "Xử lý hàng loạt", en: "Bulk change") }
    /// Which findings a bulk change applies to.
    public var bulkScope: String { pick(vi: "Áp dụng cho", en: "Apply to") }
    /// The checked findings.
    public var bulkSelected: String { pick(vi: "các sai lệch đã chọn", en: "the selected findings") }
    /// Every finding the filters match.
    public func bulkAllMatching(_ total: Int) -> String {
        let count = WorkbenchFormat.count(total, language: language)
        return pick(vi: "tất cả \(count) sai lệch khớp bộ lọc", en: "all \(count) findings the filters match")
    }
    /// The bulk form's button.
    public var bulkApply: String { pick(vi: "Áp dụng", en: "Apply") }
    /// How many findings a bulk change moved.
    public func bulkChanged(_ count: Int, to status: FindingStatus) -> String {
        let number = WorkbenchFormat.count(count, language: language)
        return pick(
            vi: "Đã chuyển \(number) sai lệch sang “\(name(of: status))”.",
            en: "\(number) findings moved to “\(name(of: status))”."
        )
    }
    /// How many findings a bulk change could not move.
    public func bulkFailed(_ count: Int) -> String {
        let number = WorkbenchFormat.count(count, language: language)
        return pick(vi: "\(number) sai lệch không chuyển được:", en: "\(number) findings could not be moved:")
    }
    /// How many matching findings are left after a capped bulk change.
    public func bulkRemaining(_ count: Int, cap: Int) -> String {
        let (number, most) = (
            WorkbenchFormat.count(count, language: language), WorkbenchFormat.count(cap, language: language)
        )
        return pick(
            vi: "Mỗi lần xử lý tối đa \(most) sai lệch; còn \(number) sai lệch khớp bộ lọc — hãy áp dụng lại.",
            en: "One bulk change handles at most \(most) findings; \(number) more match the filters — apply it again."
        )
    }
    /// The link back to the list.
    public var backToList: String { pick(vi: "← Về danh sách sai lệch", en: "← Back to the findings") }
    /// No finding was checked.
    public var bulkNothingSelected: String {
        pick(vi: "Chưa chọn sai lệch nào.", en: "No finding was selected.")
    }
}
