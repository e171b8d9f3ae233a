import TaxLinkCore
import TaxLinkReconcile

/// The strings of the findings list, its filters, totals, chart, bulk form and pager.
extension WorkbenchText {
    /// The title of the findings page.
    public var findingsTitle: String { pick(vi: "TaxLink — sai lệch", en: "TaxLink — discrepancies") }
    /// The heading of the findings page.
    public var findingsHeading: String { pick(vi: "Sai lệch", en: "Discrepancies") }
    /// The label of the filter form.
    public var filters: String { pick(vi: "Bộ lọc", en: "Filters") }
    /// The platform filter.
    public var platform: String { pick(vi: "Nền tảng", en: "Platform") }
    /// The tax period filter.
    public var period: String { pick(vi: "Kỳ tính thuế", en: "Tax period") }
    /// The discrepancy code filter.
    public var code: String { pick(vi: "Mã sai lệch", en: "Code") }
    /// The severity filter.
    public var severity: String { pick(vi: "Mức độ", en: "Severity") }
    /// The status filter.
    public var status: String { pick(vi: "Trạng thái", en: "Status") }
    /// The seller filter.
    public var seller: String { pick(vi: "Mã người bán", en: "Seller id") }
    /// The order of the list.
    public var sort: String { pick(vi: "Sắp xếp theo", en: "Sort by") }
    /// Sorting by amount at risk.
    public var sortAmount: String { pick(vi: "số thuế có rủi ro", en: "amount at risk") }
    /// Sorting by detection time.
    public var sortDetected: String { pick(vi: "thời điểm phát hiện", en: "detection time") }
    /// The page size.
    public var perPage: String { pick(vi: "Số dòng mỗi trang", en: "Rows per page") }
    /// The filter button.
    public var applyFilters: String { pick(vi: "Lọc", en: "Filter") }
    /// Any value of a filter.
    public var all: String { pick(vi: "tất cả", en: "all") }
    /// The exports of the filtered findings.
    public var exports: String { pick(vi: "Tải về mọi sai lệch đã lọc:", en: "Download everything filtered:") }
    /// The CSV export.
    public var exportCSV: String { "CSV" }
    /// The CSV export with a byte-order mark.
    public var exportCSVForExcel: String { pick(vi: "CSV cho Excel", en: "CSV for Excel") }
    /// The JSON export.
    public var exportJSON: String { "JSON" }
    /// The heading of the totals by code.
    public var taxAtRiskByCode: String { pick(vi: "Thuế có rủi ro theo mã sai lệch", en: "Tax at risk by code") }
    /// The caption of the chart's figures as a table.
    public var chartFigures: String { pick(vi: "Số liệu của biểu đồ", en: "The chart's figures") }
    /// The count of findings column.
    public var findingsCount: String { pick(vi: "Số sai lệch", en: "Findings") }
    /// The tax at risk column.
    public var taxAtRisk: String { pick(vi: "Thuế có rủi ro", en: "Tax at risk") }
    /// The link on a total to its findings.
    public func showFindings(of key: String) -> String {
        pick(vi: "Xem các sai lệch của \(key)", en: "Show the findings of \(key)")
    }
    /// A total without a value (a seller finding has no period).
    public var noValue: String { pick(vi: "(không có)", en: "(none)") }
    /// The record or order column.
    public var recordOrOrder: String { pick(vi: "Bản ghi / đơn hàng", en: "Record / order") }
    /// The expected and actual column.
    public var expectedAndActual: String { pick(vi: "Dự kiến / thực tế", en: "Expected / actual") }
    /// The expected value.
    public var expected: String { pick(vi: "Dự kiến", en: "Expected") }
    /// The actual value.
    public var actual: String { pick(vi: "Thực tế", en: "Actual") }
    /// The detection time column.
    public var detected: String { pick(vi: "Phát hiện lúc", en: "Detected") }
    /// The selection column.
    public var select: String { pick(vi: "Chọn", en: "Select") }
    /// The label of a finding's checkbox.
    public func selectFinding(_ id: String) -> String { pick(vi: "Chọn sai lệch \(id)", en: "Select finding \(id)") }
    /// The history and status form of a finding.
    public var historyAndChange: String { pick(vi: "Lịch sử và đổi trạng thái", en: "History and status change") }
    /// "by" in a history entry.
    public var by: String { pick(vi: "bởi", en: "by") }
    /// The new status of a change.
    public var newStatus: String { pick(vi: "Trạng thái mới", en: "New status") }
    /// The note of a change.
    public var noteRequired: String { pick(vi: "Ghi chú (bắt buộc)", en: "Note (required)") }
    /// The button of a status change.
    public var change: String { pick(vi: "Cập nhật", en: "Change") }
    /// The heading of the findings table: which rows of how many.
    public func findingsShown(first: Int, last: Int, total: Int) -> String {
        let (a, b, c) = (count(first), count(last), count(total))
        return total == 0
            ? pick(vi: "Không có sai lệch nào khớp bộ lọc", en: "No finding matches the filters")
            : pick(vi: "Sai lệch \(a)–\(b) trên tổng số \(c)", en: "Findings \(a)–\(b) of \(c)")
    }
    /// The notice when the page size asked for is over the cap.
    public func limitCapped(asked: Int, cap: Int) -> String {
        pick(
            vi:
                "Mỗi trang hiển thị tối đa \(count(cap)) dòng (đã yêu cầu \(count(asked))); dùng các trang hoặc tải CSV.",
            en: "A page shows at most \(count(cap)) rows (\(count(asked)) were asked for); use the pages or the CSV."
        )
    }
    /// The notice for a platform no finding comes from.
    public func unknownPlatform(_ platform: String, known: [String]) -> String {
        let list = known.isEmpty ? pick(vi: "chưa có", en: "none yet") : known.joined(separator: ", ")
        return pick(
            vi:
                "Không có dữ liệu nào của nền tảng “\(platform)” — có thể tên bị sai. Các nền tảng có dữ liệu: \(list).",
            en: "There is no data from platform “\(platform)” — the name may be wrong. Platforms with data: \(list)."
        )
    }
    /// The notice for a period no finding is in.
    public func unknownPeriod(_ period: String, known: [String]) -> String {
        let list = known.isEmpty ? pick(vi: "chưa có", en: "none yet") : known.joined(separator: ", ")
        return pick(
            vi: "Không có dữ liệu nào trong kỳ \(period). Các kỳ có dữ liệu: \(list).",
            en: "There is no data for period \(period). Periods with data: \(list)."
        )
    }
    /// The label of the pager.
    public var pages: String { pick(vi: "Các trang", en: "Pages") }
    /// The previous page.
    public var previousPage: String { pick(vi: "← Trang trước", en: "← Previous") }
    /// The next page.
    public var nextPage: String { pick(vi: "Trang sau →", en: "Next →") }
    /// A page number's accessible name.
    public func pageNumber(_ number: Int) -> String { pick(vi: "Trang \(number)", en: "Page \(number)") }

    /// A status in words.
    public func name(of status: FindingStatus) -> String {
        switch status {
        case .open: pick(vi: "mới", en: "open")
        case .acknowledged: pick(vi: "đã tiếp nhận", en: "acknowledged")
        case .resolved: pick(vi: "đã xử lý", en: "resolved")
        }
    }

    /// A severity in words.
    public func name(of severity: FindingSeverity) -> String {
        switch severity {
        case .critical: pick(vi: "nghiêm trọng", en: "critical")
        case .warning: pick(vi: "cảnh báo", en: "warning")
        case .info: pick(vi: "thông tin", en: "info")
        }
    }

    /// A member of an expected or actual value in words (`vat` → VAT); unknown names as they are.
    public func name(ofField field: String) -> String {
        switch field {
        case "vat": pick(vi: "Thuế GTGT", en: "VAT")
        case "pit": pick(vi: "Thuế TNCN", en: "PIT")
        case "revenue": pick(vi: "Doanh thu", en: "Revenue")
        case "total": pick(vi: "Tổng", en: "Total")
        case "buyer_paid": pick(vi: "Người mua trả", en: "Buyer paid")
        case "settled": pick(vi: "Đã quyết toán", en: "Settled")
        default: field
        }
    }

    /// Yes or no.
    public func yesNo(_ value: Bool) -> String { value ? pick(vi: "có", en: "yes") : pick(vi: "không", en: "no") }

    private func count(_ number: Int) -> String { WorkbenchFormat.count(number, language: language) }
}
