import TaxLinkCore
import TaxLinkReconcile
import TaxLinkStore

/// The search page (`/analyst/search?q=`): a search by order id, record id or tax id, and what it found
/// (a single hit is answered by a redirect to it, before this page).
///
/// Stable hooks for tests: `#search-form` (input `#search-q`), `#search-records` (rows `data-record-id`),
/// `#search-sellers` (rows `data-seller-id`), `#search-nothing`.
public enum SearchPage {
    /// The page of `search` (`nil`: the form only).
    public static func render(_ search: DrillDownSearch?, context: WorkbenchContext, limit: Int) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        var body = "<h1>\(html(text.searchTitle))</h1>\n"
        body += """
            <form class=filters id="search-form" role=search method=get action="/analyst/search">\
            <label for="search-q">\(html(text.searchLabel))\
            <input id="search-q" name=q type=search required maxlength=\(DrillDownSearch.maximumLength) \
            value="\(html(search?.text ?? ""))"></label>\
            <button id="search-submit">\(html(text.searchButton))</button></form>

            """
        if let search {
            body += results(search, context: context, limit: limit)
        }
        return WorkbenchLayout.page(title: text.searchTitle, context: context, body: body)
    }

    private static func results(_ search: DrillDownSearch, context: WorkbenchContext, limit: Int) -> String {
        let text = context.text
        let html = DrillDownMarkup.html
        let cell = DrillDownMarkup.cell
        var markup = DrillDownMarkup.heading("search-results-heading", text.searchResults(search.text))
        guard !search.records.isEmpty || !search.sellers.isEmpty else {
            return markup + "<p id=\"search-nothing\" role=status>\(html(text.nothingFound))</p>\n"
        }
        if search.truncated { markup += "<p class=notice>\(html(text.firstResults(limit)))</p>\n" }
        if !search.sellers.isEmpty {
            markup += DrillDownMarkup.heading("search-sellers-heading", text.sellersFound)
            let rows = search.sellers.map { seller in
                var row = "<tr data-seller-id=\"\(html(seller.sellerID))\" data-platform=\"\(html(seller.platform))\">"
                let url = DrillDownLinks.seller(seller.sellerID, platform: seller.platform)
                row += cell(text.seller, DrillDownMarkup.link(seller.sellerID, url))
                row += cell(text.platform, html(seller.platform))
                row += cell(text.sellerName, html(seller.sellerName))
                row += cell(text.taxID, "<code>\(html(search.taxID ?? ""))</code>")
                row += cell(text.recordCount, WorkbenchFormat.count(seller.records, language: context.language))
                return row + "</tr>\n"
            }
            markup += DrillDownMarkup.table(
                id: "search-sellers",
                labelledBy: "search-sellers-heading",
                columns: [text.seller, text.platform, text.sellerName, text.taxID, text.recordCount],
                rows: rows
            )
        }
        if !search.records.isEmpty {
            markup += DrillDownMarkup.heading("search-records-heading", text.recordsFound)
            let rows = search.records.map { record in
                var row = "<tr data-record-id=\"\(html(record.recordID))\">"
                row += cell(
                    text.recordOrOrder,
                    DrillDownMarkup.link(record.recordID, DrillDownLinks.record(record.recordID))
                )
                row += cell(text.platform, html(record.platform))
                row += cell(text.kind, html(record.kind))
                let seller = DrillDownLinks.seller(record.sellerID, platform: record.platform)
                row += cell(text.seller, DrillDownMarkup.link(record.sellerID, seller))
                row += cell(text.period, html(record.taxPeriod))
                row += cell(text.occurredAt, DrillDownMarkup.time(record.occurredAt, context))
                return row + "</tr>\n"
            }
            markup += DrillDownMarkup.table(
                id: "search-records",
                labelledBy: "search-records-heading",
                columns: [text.recordOrOrder, text.platform, text.kind, text.seller, text.period, text.occurredAt],
                rows: rows
            )
        }
        return markup
    }
}
