import TaxLinkCore

/// VNPay's daily reconciliation CSV: only status `00` rows are settlements.
public struct VNPaySettlementsAdapter: Sendable {
    static let columns = [
        "vnp_TxnRef", "vnp_TransactionNo", "vnp_Amount", "vnp_PayDate", "vnp_BankCode", "vnp_TransactionStatus",
        "vnp_OrderInfo",
    ]

    public init() {}

    /// One row of the file.
    public enum Row: Sendable {
        /// A successful payment.
        case settlement(Settlement)
        /// A row that is not a successful payment.
        case ignored
        /// A row that cannot be read.
        case rejected(Rejection)
    }

    /// The rows of a body, one at a time: only the body and the current row are held.
    public struct Rows {
        private var table: CSVTable
        private let gateway: String

        fileprivate init(table: CSVTable, gateway: String) {
            self.table = table
            self.gateway = gateway
        }

        /// The next row, or `nil` after the last. Fails when the CSV cannot be read further.
        public mutating func next() throws(FeedError) -> Row? {
            guard let row = try table.next() else { return nil }
            let transactionNo = table.cell(row, "vnp_TransactionNo")
            do throws(ItemError) {
                guard table.isComplete(row) else {
                    throw ItemError(reason: "the row does not have one cell per column")
                }
                guard table.cell(row, "vnp_TransactionStatus") == "00" else { return .ignored }
                return .settlement(try VNPaySettlementsAdapter().settlement(row, table: table, gateway: gateway))
            } catch {
                return .rejected(
                    Rejection(
                        position: .line(row.line), externalID: transactionNo.isEmpty ? nil : transactionNo,
                        reason: error.reason, code: error.code))
            }
        }
    }

    /// Reads the body's header (failing for one that is not this CSV); the rows follow one at a time.
    public func rows(_ body: [UInt8], context: FeedContext) throws(FeedError) -> Rows {
        Rows(table: try CSVTable(body: body, required: Self.columns), gateway: context.platform)
    }

    /// The settlements, the number of rows that were not successful payments, and the rejected rows.
    public func adapt(
        _ body: [UInt8], context: FeedContext
    ) throws(FeedError) -> (settlements: [Settlement], ignored: Int, rejections: [Rejection]) {
        var rows = try rows(body, context: context)
        var settlements: [Settlement] = []
        var rejections: [Rejection] = []
        var ignored = 0
        while let row = try rows.next() {
            switch row {
            case .settlement(let settlement): settlements.append(settlement)
            case .ignored: ignored += 1
            case .rejected(let rejection): rejections.append(rejection)
            }
        }
        return (settlements, ignored, rejections)
    }

    fileprivate func settlement(_ row: CSVReader.Row, table: CSVTable, gateway: String) throws(ItemError) -> Settlement {
        let transactionNo = table.cell(row, "vnp_TransactionNo")
        guard !transactionNo.isEmpty else { throw ItemError(reason: "vnp_TransactionNo: missing") }
        let amountText = table.cell(row, "vnp_Amount")
        guard !amountText.isEmpty, amountText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let hundredths = Int64(amountText)
        else {
            throw ItemError(reason: "vnp_Amount: expected an integer string, found '\(amountText)'", code: .amountInvalid)
        }
        guard hundredths % 100 == 0 else {
            throw ItemError(reason: "vnp_Amount: \(amountText) is not a whole number of đồng × 100", code: .amountInvalid)
        }
        guard VND.isWithinRange(hundredths / 100) else {
            throw ItemError(
                reason: "vnp_Amount: \(amountText) / 100 is beyond the ceiling of \(VND.ceilingDescription)",
                code: .amountInvalid)
        }
        let dateText = table.cell(row, "vnp_PayDate")
        guard let paidAt = Timestamp.parseCompact(dateText, offset: Timestamp.vietnamOffset) else {
            throw ItemError(reason: "vnp_PayDate: expected yyyyMMddHHmmss, found '\(dateText)'")
        }
        let info = table.cell(row, "vnp_OrderInfo")
        guard let colon = info.firstIndex(of: ":"), colon != info.startIndex, info.index(after: colon) != info.endIndex
        else {
            throw ItemError(reason: "vnp_OrderInfo: expected <platform>:<order id>, found '\(info)'")
        }
        let platform = String(info[..<colon]).lowercased()
        let orderID = String(info[info.index(after: colon)...])
        let identifiers = [
            ("vnp_TransactionNo", transactionNo), ("vnp_TxnRef", table.cell(row, "vnp_TxnRef")),
            ("vnp_OrderInfo platform", platform), ("vnp_OrderInfo order id", orderID),
            ("vnp_BankCode", table.cell(row, "vnp_BankCode")),
        ]
        for (column, text) in identifiers {
            do {
                try RecordLimits.checkIdentifier(text, field: column)
            } catch {
                throw ItemError(error)
            }
        }
        return Settlement(
            gateway: gateway, transactionNo: transactionNo, reference: table.cell(row, "vnp_TxnRef"),
            platform: platform, orderID: orderID,
            amount: hundredths / 100, paidAt: paidAt, bankCode: table.cell(row, "vnp_BankCode"))
    }
}
