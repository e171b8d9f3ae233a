import TaxLinkReconcile

/// The pager of the findings page: previous, numbered pages around the current one (with the first
/// and the last), next.
extension AnalystPageRenderer {
    /// How many numbered pages are shown on each side of the current one.
    static let pagesAround = 3

    /// The pager, empty when everything fits on one page. Offset and limit come from the URL and may
    /// be as large as `Int.max`, so every page offset is computed with overflow checks.
    static func pager(_ model: AnalystPageModel) -> String {
        let text = model.context.text
        let total = model.page.total
        guard let limit = model.query.limit, limit > 0, total > limit else { return "" }
        let offset = model.query.offset
        let current = offset / limit
        let pageCount = (total - 1) / limit + 1
        let anchor = min(current, pageCount - 1)
        func link(_ label: String, page: Int, attributes: String) -> String {
            var query = model.query
            let (start, overflow) = page.multipliedReportingOverflow(by: limit)
            query.offset = overflow ? 0 : start
            return WorkbenchFormat.link(label, "/analyst", query.parameters, attributes: attributes)
        }
        var pager = "<nav class=pager id=\"pager\" aria-label=\"\(html(text.pages))\">"
        if offset > 0 {
            var previous = model.query
            previous.offset = offset > limit ? offset - limit : 0
            pager += WorkbenchFormat.link(
                text.previousPage,
                "/analyst",
                previous.parameters,
                attributes: "id=\"page-previous\" rel=prev"
            )
        }
        var shown = Set([0, pageCount - 1])
        for page in max(0, anchor - pagesAround)...min(pageCount - 1, anchor + pagesAround) {
            shown.insert(page)
        }
        var last = -1
        for page in shown.sorted() where page < pageCount {
            if page > last + 1 { pager += "<span aria-hidden=true>…</span>" }
            last = page
            if page == current, offset % limit == 0 {
                pager +=
                    "<a aria-current=page id=\"page-\(page + 1)\" aria-label=\"\(html(text.pageNumber(page + 1)))\" "
                pager += "href=\"\(html(WorkbenchFormat.url("/analyst", model.query.parameters)))\">\(page + 1)</a>"
            } else {
                let attributes = "id=\"page-\(page + 1)\" aria-label=\"\(html(text.pageNumber(page + 1)))\""
                pager += link(String(page + 1), page: page, attributes: attributes)
            }
        }
        let (end, overflow) = offset.addingReportingOverflow(limit)
        if !overflow, end < total {
            var next = model.query
            next.offset = end
            pager += WorkbenchFormat.link(
                text.nextPage,
                "/analyst",
                next.parameters,
                attributes: "id=\"page-next\" rel=next"
            )
        }
        return pager + "</nav>\n"
    }
}
