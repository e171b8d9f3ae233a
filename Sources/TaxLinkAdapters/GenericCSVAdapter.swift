import TaxLinkCore

/// The generic CSV for platforms without an API of their own shape: one row per line, the rows of
/// one order consecutive and repeating its order-level columns.
public struct GenericCSVAdapter: Sendable {
    static let requiredColumns = [
        "order_id", "kind", "completed_at", "seller_id", "seller_type", "quantity", "line_amount", "buyer_paid",
    ]
    private static let orderMoneyColumns = [
        "seller_discount", "platform_discount", "shipping_fee", "buyer_paid", "platform_fees", "vat_withheld",
        "pit_withheld",
    ]

    public init() {}

    /// The orders of a CSV body, one at a time: only the body and the rows of one order are held.
    public struct Orders {
        private var table: CSVTable
        private let context: FeedContext
        private var lookahead: CSVReader.Row?

        fileprivate init(table: CSVTable, context: FeedContext) {
            self.table = table
            self.context = context
        }

        /// The next order, as a record or a rejection; `nil` after the last. Fails when the CSV
        /// cannot be read further (bad quoting, invalid UTF-8).
        public mutating func next() throws(FeedError) -> OrderFeedItem? {
            var first = lookahead
            lookahead = nil
            if first == nil { first = try table.next() }
            guard let first else { return nil }
            var group = [first]
            while let row = try table.next() {
                guard table.cell(first, "order_id") == table.cell(row, "order_id") else {
                    lookahead = row
                    break
                }
                group.append(row)
            }
            return GenericCSVAdapter().order(group, table: table, context: context)
        }
    }

    /// Reads the body's header; fails for a body that is not CSV or lacks a required column. The
    /// orders are then read one at a time.
    public func orders(_ body: [UInt8], context: FeedContext) throws(FeedError) -> Orders {
        Orders(table: try CSVTable(body: body, required: Self.requiredColumns), context: context)
    }

    /// Every order of the body, as records or rejections (a bad row rejects its order, naming the row's line).
    public func adapt(_ body: [UInt8], context: FeedContext) throws(FeedError) -> [OrderFeedItem] {
        var orders = try orders(body, context: context)
        var items: [OrderFeedItem] = []
        while let item = try orders.next() { items.append(item) }
        return items
    }

    fileprivate func order(_ rows: [CSVReader.Row], table: CSVTable, context: FeedContext) -> OrderFeedItem {
        let orderID = table.cell(rows[0], "order_id")
        var currentLine = rows[0].line
        do throws(ItemError) {
            var lines: [Line] = []
            var moneyValues: [String: [Int64]] = [:]
            for row in rows {
                currentLine = row.line
                guard table.isComplete(row) else { throw ItemError(reason: "the row does not have one cell per column") }
                lines.append(try line(row, table: table))
                for column in Self.orderMoneyColumns {
                    let text = table.cell(row, column)
                    if !text.isEmpty { moneyValues[column, default: []].append(try money(text, column)) }
                }
            }
            currentLine = rows[0].line
            return .record(try record(rows[0], lines: lines, money: moneyValues, table: table, context: context))
        } catch {
            return .rejected(
                Rejection(
                    position: .line(currentLine), externalID: orderID.isEmpty ? nil : orderID, reason: error.reason,
                    code: error.code))
        }
    }

    private func line(_ row: CSVReader.Row, table: CSVTable) throws(ItemError) -> Line {
        let quantityText = table.cell(row, "quantity")
        guard quantityText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let quantity = Int64(quantityText),
            quantity >= 1, quantity <= VND.maximumMagnitude
        else {
            throw ItemError(reason: "quantity: expected a whole number from 1 to 10^15, found '\(quantityText)'")
        }
        let category = table.cell(row, "category")
        return Line(
            sku: table.cell(row, "sku"), name: table.cell(row, "item_name"),
            category: BusinessGroup(sourceValue: category.isEmpty ? nil : category),
            quantity: quantity, amount: try money(table.cell(row, "line_amount"), "line_amount"))
    }

    private func money(_ text: String, _ column: String) throws(ItemError) -> Int64 {
        guard !text.isEmpty else { throw ItemError(reason: "\(column): missing", code: .amountInvalid) }
        do {
            return try VND.parse(text)
        } catch {
            throw ItemError(reason: "\(column): \(error)", code: .amountInvalid)
        }
    }

    private func record(
        _ first: CSVReader.Row, lines: [Line], money: [String: [Int64]], table: CSVTable, context: FeedContext
    ) throws(ItemError) -> AdaptedRecord {
        func cell(_ column: String) -> String { table.cell(first, column) }
        func flag(_ column: String) throws(ItemError) -> Bool {
            switch cell(column).lowercased() {
            case "", "false": return false
            case "true": return true
            case let other: throw ItemError(reason: "\(column): expected true or false, found '\(other)'")
            }
        }
        func orderMoney(_ column: String) -> Int64 { money[column]?.first ?? 0 }

        guard let kind = RecordKind(rawValue: cell("kind").lowercased()) else {
            throw ItemError(reason: "kind: expected sale or refund, found '\(cell("kind"))'")
        }
        let originalID = cell("original_order_id")
        guard kind == .sale || !originalID.isEmpty else {
            throw ItemError(reason: "original_order_id: a refund must name its sale")
        }
        guard let completedAt = Timestamp.parseISO8601(cell("completed_at")) else {
            throw ItemError(reason: "completed_at: expected ISO 8601 with an offset, found '\(cell("completed_at"))'")
        }
        guard let sellerType = SellerType(rawValue: cell("seller_type").lowercased()) else {
            throw ItemError(reason: "seller_type: expected household, individual or enterprise, found '\(cell("seller_type"))'")
        }
        let sellerID = cell("seller_id")
        guard !sellerID.isEmpty else { throw ItemError(reason: "seller_id: missing") }
        guard money["buyer_paid"] != nil else { throw ItemError(reason: "buyer_paid: missing", code: .amountInvalid) }
        let identity = TaxIdentity(raw: cell("seller_tax_id"))
        let sellerName = cell("seller_name")
        let seller = Seller(
            platformSellerID: sellerID, taxCode: identity.taxCode, nationalID: identity.nationalID,
            name: sellerName.isEmpty ? cell("shop_name") : sellerName, type: sellerType,
            resident: !(try flag("non_resident")))
        let amounts = try makeAmounts(
            lines: lines, sellerDiscount: orderMoney("seller_discount"),
            platformDiscount: orderMoney("platform_discount"), shippingFee: orderMoney("shipping_fee"),
            buyerPaid: orderMoney("buyer_paid"), platformFees: orderMoney("platform_fees"))
        let spread = money.values.map { ($0.max() ?? 0) - ($0.min() ?? 0) }.max() ?? 0
        let record = TransactionRecord(
            platform: context.platform, kind: kind, externalID: cell("order_id"),
            originalExternalID: kind == .refund ? originalID : nil, occurredAt: completedAt, seller: seller,
            lines: lines, amounts: amounts,
            withholding: Withholding(vat: orderMoney("vat_withheld"), pit: orderMoney("pit_withheld")),
            source: context.source)
        try checkLimits(record)
        return AdaptedRecord(record: record, sourceDifference: spread > 0 ? spread : nil, cashOnDelivery: try flag("cod"))
    }
}
