import TaxLinkReconcile

/// The strings of the drill-down pages: record view, seller view, search and the schedule page.
extension WorkbenchText {
    // MARK: Record view

    /// The record view's title.
    public func recordTitle(_ recordID: String) -> String { pick(vi: "Bản ghi \(recordID)", en: "Record \(recordID)") }
    /// The revisions section.
    public var revisions: String { pick(vi: "Các lần sửa đổi", en: "Revisions") }
    /// A revision's number.
    public var revision: String { pick(vi: "Lần", en: "Revision") }
    /// Marks the latest revision.
    public var latestRevision: String { pick(vi: "mới nhất", en: "latest") }
    /// The record's state in the store.
    public var recordStatus: String { pick(vi: "Trạng thái", en: "State") }
    /// The flags of a revision.
    public var flags: String { pick(vi: "Cờ", en: "Flags") }
    /// No flags.
    public var noFlags: String { pick(vi: "không có", en: "none") }
    /// The feed that carried a revision.
    public var sourceFeed: String { pick(vi: "Nguồn dữ liệu", en: "Source feed") }
    /// When the feed arrived.
    public var receivedAt: String { pick(vi: "Nhận lúc", en: "Received") }
    /// When the sale or refund happened.
    public var occurredAt: String { pick(vi: "Phát sinh lúc", en: "Occurred") }
    /// The kind of a record.
    public var kind: String { pick(vi: "Loại", en: "Kind") }
    /// The order id on the platform.
    public var orderID: String { pick(vi: "Mã đơn", en: "Order id") }
    /// The seller's tax id.
    public var taxID: String { pick(vi: "Mã số thuế / định danh", en: "Tax id") }
    /// The seller's name.
    public var sellerName: String { pick(vi: "Tên người bán", en: "Seller name") }
    /// The amounts of a revision.
    public var amounts: String { pick(vi: "Số tiền", en: "Amounts") }
    /// A record's gross amount.
    public var gross: String { pick(vi: "Tiền hàng", en: "Gross") }
    /// The seller's discount.
    public var sellerDiscount: String { pick(vi: "Người bán giảm giá", en: "Seller discount") }
    /// The platform's discount.
    public var platformDiscount: String { pick(vi: "Sàn giảm giá", en: "Platform discount") }
    /// The shipping fee the buyer paid.
    public var shippingFee: String { pick(vi: "Phí vận chuyển", en: "Shipping fee") }
    /// What the buyer paid.
    public var buyerPaid: String { pick(vi: "Người mua trả", en: "Buyer paid") }
    /// The platform's fees.
    public var platformFees: String { pick(vi: "Phí sàn", en: "Platform fees") }
    /// The lines of a revision.
    public var lines: String { pick(vi: "Dòng hàng", en: "Lines") }
    /// A line's SKU.
    public var sku: String { "SKU" }
    /// A line's name.
    public var itemName: String { pick(vi: "Tên hàng", en: "Item") }
    /// A line's business group.
    public var group: String { pick(vi: "Nhóm ngành", en: "Business group") }
    /// A line's quantity.
    public var quantity: String { pick(vi: "Số lượng", en: "Quantity") }
    /// A line's amount.
    public var amount: String { pick(vi: "Thành tiền", en: "Amount") }
    /// A revision whose stored JSON cannot be read.
    public var unreadable: String { pick(vi: "Không đọc được bản ghi:", en: "The record cannot be read:") }
    /// The batches section.
    public var batchesAndReceipts: String { pick(vi: "Lô gửi và biên nhận", en: "Batches and receipts") }
    /// No batch yet.
    public var notBatched: String {
        pick(vi: "Chưa được đóng lô gửi cơ quan thuế.", en: "Not sealed into a batch for the ministry yet.")
    }
    /// A batch id.
    public var batch: String { pick(vi: "Lô", en: "Batch") }
    /// A batch's state.
    public var batchState: String { pick(vi: "Trạng thái lô", en: "Batch state") }
    /// When a batch was sealed.
    public var sealedAt: String { pick(vi: "Đóng lô lúc", en: "Sealed") }
    /// When a batch was delivered.
    public var deliveredAt: String { pick(vi: "Đã giao lúc", en: "Delivered") }
    /// The receipt of a batch.
    public var receipt: String { pick(vi: "Biên nhận", en: "Receipt") }
    /// No receipt yet.
    public var noReceipt: String { pick(vi: "chưa có", en: "none yet") }
    /// The ministry's rejection of the record.
    public var ministryRejection: String { pick(vi: "Cơ quan thuế từ chối", en: "Ministry rejection") }
    /// The findings on the record.
    public var findingsOnRecord: String { pick(vi: "Sai lệch của bản ghi", en: "Findings on this record") }
    /// No findings.
    public var noFindings: String { pick(vi: "Không có sai lệch.", en: "No findings.") }
    /// Marks the finding the analyst came from.
    public var thisFinding: String { pick(vi: "(sai lệch đang xem)", en: "(the finding you came from)") }
    /// An unknown record.
    public func unknownRecord(_ recordID: String) -> String {
        pick(vi: "Không có bản ghi nào mang mã \(recordID).", en: "There is no record with the id \(recordID).")
    }

    // MARK: Seller view

    /// The seller view's title.
    public func sellerTitle(_ sellerID: String) -> String {
        pick(vi: "Người bán \(sellerID)", en: "Seller \(sellerID)")
    }
    /// The per-period figures section.
    public var declaredVsComputed: String {
        pick(vi: "Kê khai so với số liệu tính từ bản ghi, theo kỳ", en: "Declared vs computed, per period")
    }
    /// The seller's records section.
    public var sellerRecords: String { pick(vi: "Bản ghi của người bán", en: "The seller's records") }
    /// The seller's findings section.
    public var sellerFindings: String { pick(vi: "Sai lệch của người bán", en: "The seller's findings") }
    /// All findings of the seller in the list.
    public var allSellerFindings: String { pick(vi: "Xem tất cả trong danh sách", en: "See them all in the list") }
    /// Record count.
    public var recordCount: String { pick(vi: "Số bản ghi", en: "Records") }
    /// An unknown seller.
    public func unknownSeller(_ sellerID: String) -> String {
        pick(
            vi: "Không có bản ghi hay sai lệch nào của người bán \(sellerID).",
            en: "There is no record or finding of the seller \(sellerID)."
        )
    }
    /// Records shown of a total.
    public func recordsShown(first: Int, last: Int, total: Int) -> String {
        let (a, b, c) = (count(first), count(last), count(total))
        return pick(vi: "Bản ghi \(a)–\(b) trên \(c)", en: "Records \(a)–\(b) of \(c)")
    }
    /// A malformed page offset.
    public var badOffset: String {
        pick(vi: "offset phải là số nguyên không âm.", en: "offset must be a whole number, 0 or more.")
    }
    /// Left out of the computed figures.
    public var excludedRecords: String { pick(vi: "Không đưa vào tính toán", en: "Left out of the figures") }

    // MARK: Search

    /// The search page's title.
    public var searchTitle: String { pick(vi: "Tìm kiếm", en: "Search") }
    /// Search results for a text.
    public func searchResults(_ query: String) -> String {
        pick(vi: "Kết quả cho “\(query)”", en: "Results for “\(query)”")
    }
    /// No result.
    public var nothingFound: String { pick(vi: "Không tìm thấy gì.", en: "Nothing was found.") }
    /// Sellers found by tax id.
    public var sellersFound: String { pick(vi: "Người bán", en: "Sellers") }
    /// Records found.
    public var recordsFound: String { pick(vi: "Bản ghi", en: "Records") }
    /// A search text too long to be an id.
    public func searchTooLong(_ limit: Int) -> String {
        pick(vi: "Từ khóa dài quá \(limit) ký tự.", en: "The search text is longer than \(limit) characters.")
    }
    /// More results exist than shown.
    public func firstResults(_ limit: Int) -> String {
        pick(vi: "Chỉ hiện \(limit) kết quả đầu.", en: "Only the first \(limit) results are shown.")
    }

    // MARK: Schedule page

    /// The schedule page's title.
    public var scheduleTitle: String { pick(vi: "Bảng kê 01-1/BK-CNKD-TMĐT", en: "Schedule 01-1/BK-CNKD-TMĐT") }
    /// A schedule's heading.
    public func scheduleHeading(platform: String, period: String) -> String {
        pick(vi: "\(platform), kỳ \(period)", en: "\(platform), period \(period)")
    }
    /// The open-schedule button.
    public var openSchedule: String { pick(vi: "Xem bảng kê", en: "Open the schedule") }
    /// The computed side.
    public var computed: String { pick(vi: "Tính từ bản ghi", en: "Computed") }
    /// The declared side.
    public var declared: String { pick(vi: "Nền tảng kê khai", en: "Declared") }
    /// The comparison outcome column.
    public var comparison: String { pick(vi: "So sánh", en: "Comparison") }
    /// Revenue.
    public var revenue: String { pick(vi: "Doanh thu", en: "Revenue") }
    /// VAT.
    public var vat: String { pick(vi: "Thuế GTGT", en: "VAT") }
    /// PIT.
    public var pit: String { pick(vi: "Thuế TNCN", en: "PIT") }
    /// The totals row.
    public var totals: String { pick(vi: "Tổng cộng", en: "Totals") }
    /// The downloads of the schedule.
    public var downloads: String { pick(vi: "Tải xuống", en: "Download") }
    /// The declaration in force, with its version.
    public func declarationInForce(version: Int, feedID: String) -> String {
        pick(
            vi: "Tờ khai đang có hiệu lực: lần \(version) (\(feedID))",
            en: "Declaration in force: version \(version) (\(feedID))"
        )
    }
    /// No declaration of the period.
    public var noDeclaration: String {
        pick(vi: "Nền tảng chưa kê khai kỳ này.", en: "The platform has not declared this period.")
    }
    /// Nothing at all for the platform and period.
    public func nothingForPlatform(_ platform: String, period: String) -> String {
        pick(
            vi: "Không có bản ghi hay tờ khai nào của \(platform) cho kỳ \(period). Hãy kiểm tra tên nền tảng và kỳ.",
            en: "There is no record and no declaration of \(platform) for \(period). Check the platform and period."
        )
    }
    /// How many rows differ.
    public func rowsDiffer(_ differing: Int, of total: Int) -> String {
        pick(
            vi: "\(count(differing)) / \(count(total)) dòng khác nhau",
            en: "\(count(differing)) of \(count(total)) rows differ"
        )
    }
    /// A comparison outcome in words.
    public func name(of outcome: DeclarationComparisonRow.Outcome) -> String {
        switch outcome {
        case .matches: pick(vi: "khớp", en: "matches")
        case .differs: pick(vi: "khác", en: "differs")
        case .notDeclared: pick(vi: "không kê khai", en: "not declared")
        case .notInRecords: pick(vi: "không có bản ghi", en: "no records")
        case .noDeclaration: pick(vi: "chưa có tờ khai", en: "no declaration")
        }
    }
    /// Platform and period are required.
    public var platformAndPeriodRequired: String {
        pick(vi: "Cần nền tảng và kỳ (YYYY-MM).", en: "A platform and a period (YYYY-MM) are required.")
    }

    private func count(_ number: Int) -> String { WorkbenchFormat.count(number, language: language) }
}
