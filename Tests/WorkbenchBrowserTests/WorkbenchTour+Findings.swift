import Foundation
import TestSupport
import Testing

/// The findings list: filtering, a status change with a note, the export, the way to a record.
extension WorkbenchTour {
    /// What the filtered list showed.
    struct FilteredList {
        /// The list's address (filters in the query).
        var url: String
        /// How many findings the filters match, as the page says.
        var total: Int
    }

    /// Chooses `code` in the filter form and applies it: the page lists only findings of that code and
    /// says how many match.
    func filter(code: String) async throws -> FilteredList {
        try await browser.click(try await browser.element("#filter-code option[value=\"\(code)\"]"))
        try await browser.submit(try await browser.element("#filter-form"))
        let url = try await browser.currentURL()
        #expect(query(of: url)["code"] == code, "the filter is in the list's address: \(url)")
        let total = try await shownTotal()
        let rows = try await browser.execute(
            "return [...document.querySelectorAll('#findings tr[data-finding-id]')].map(e => e.textContent);",
            as: [String].self
        )
        #expect(total > 0, "the sample feeds have \(code) findings")
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(code) }, "the list shows only \(code) findings")
        try await audit()
        return FilteredList(url: url, total: total)
    }

    /// Acknowledges the first finding of the list with `note` through its status form; returns its id.
    /// The page comes back with the filters kept, the new status, and the change by the analyst's name.
    func acknowledgeFirstFinding(note: String) async throws -> String {
        let row = try await browser.element("#findings tr[data-finding-id]")
        let id = try #require(try await browser.attribute("data-finding-id", of: row))
        let filters = query(of: try await browser.currentURL())
        try await browser.click(try await browser.element("tr[data-details-for=\"\(id)\"] summary"))
        try await browser.click(try await browser.element("[id=\"status-\(id)\"] option[value=acknowledged]"))
        try await browser.type(note, into: try await browser.element("[id=\"note-\(id)\"]"))
        try await browser.click(try await browser.element("[id=\"change-\(id)\"]"))
        let back = try await browser.currentURL()
        #expect(query(of: back)["code"] == filters["code"], "the status change keeps the filters: \(back)")
        let history = try await textContent(of: try await browser.element("tr[data-details-for=\"\(id)\"] ol.history"))
        #expect(history.contains(analyst.name), "the history names the analyst: \(history)")
        #expect(history.contains(note), "the history holds the note: \(history)")
        try await audit()
        return id
    }

    /// Downloads the CSV export of the filtered list shown `pageSize` findings a page, with the session
    /// cookie: it holds every finding the filters match (the total the page shows), not the page's rows.
    func exportHasEveryFilteredFinding(
        _ list: FilteredList,
        pageSize: Int,
        acknowledged: String,
        note: String
    ) async throws {
        var paged = try #require(URLComponents(string: list.url))
        paged.queryItems =
            (paged.queryItems ?? []).filter { $0.name != "limit" && $0.name != "offset" }
            + [URLQueryItem(name: "limit", value: String(pageSize))]
        try await browser.navigate(to: try #require(paged.string))
        try await audit()
        #expect(try await shownTotal() == list.total)
        let rowsShown = try await browser.elements("#findings tr[data-finding-id]").count
        #expect(rowsShown == min(pageSize, list.total))
        let link = try await browser.element("#export-csv")
        let href = try #require(try await browser.property("href", of: link))
        let parameters = query(of: href)
        #expect(parameters["limit"] == nil && parameters["offset"] == nil, "the export ignores paging: \(href)")
        #expect(parameters["code"] == query(of: list.url)["code"], "the export carries the filters: \(href)")
        let session = try await sessionCookie()
        let answer = try await Fetch.get(href, cookie: (session.name, session.value))
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type")?.hasPrefix("text/csv") == true)
        #expect(answer.header("Cache-Control")?.contains("no-store") == true)
        let records = CSVRecords.parse(answer.body)
        let header = try #require(records.first)
        let rows = records.dropFirst()
        #expect(rows.count == list.total, "the export has \(rows.count) findings; the page says \(list.total)")
        let code = try #require(header.firstIndex(of: "code"))
        #expect(rows.allSatisfy { $0.count == header.count && $0[code] == query(of: list.url)["code"] })
        let idColumn = try #require(header.firstIndex(of: "id"))
        let changed = try #require(rows.first { $0[idColumn] == acknowledged })
        #expect(changed.contains(note), "the export holds the latest note of \(acknowledged)")
    }

    /// Follows the record link of the first finding of the list to the record view, which shows the
    /// record's revisions and, among its findings, the one the analyst came from; returns its path.
    func openRecordFromFirstFinding() async throws -> String {
        let row = try await browser.element("#findings tr[data-finding-id]")
        let finding = try #require(try await browser.attribute("data-finding-id", of: row))
        let link = try await browser.element("a.record-link", in: row)
        let recordID = try await textContent(of: link)
        try await browser.click(link)
        let path = try await path()
        #expect(path.hasPrefix("/analyst/records/"))
        let record = try await browser.element("#record")
        #expect(try await browser.attribute("data-record-id", of: record) == recordID)
        #expect(try await !browser.elements("#revisions tr[data-revision]").isEmpty, "the record view lists revisions")
        let findings = try await browser.elements("#record-findings tr[data-finding-id=\"\(finding)\"]")
        #expect(findings.count == 1, "the record view lists the finding \(finding)")
        try await audit()
        return path
    }

    /// The number of matching findings the list's heading states (its `data-total`, also in its text).
    func shownTotal() async throws -> Int {
        let heading = try await browser.element("#findings-heading")
        let total = try #require(Int(try await browser.attribute("data-total", of: heading) ?? ""))
        #expect(try await browser.text(of: heading).contains(String(total)))
        return total
    }

    /// The query parameters of `url`, by name.
    func query(of url: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for item in URLComponents(string: url)?.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        return parameters
    }
}
