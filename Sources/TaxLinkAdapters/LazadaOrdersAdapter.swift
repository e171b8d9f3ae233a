import TaxLinkCore

/// Lazada orders: `{"orders": [{"order": <GetOrders order>, "items": [<GetOrderItems item>],
/// "transactions": [<finance transaction>], "seller": {…}}]}`. Money is decimal strings; items are
/// one per unit.
public struct LazadaOrdersAdapter: JSONItemAdapter {
    public let envelopeKey = "orders"

    private static let completedStatuses: Set<String> = ["delivered", "confirmed"]
    private static let feeTypes: Set<String> = ["Commission", "Payment Fee", "Service Fee"]

    public init() {}

    public func externalID(of item: JSONValue) -> String? { item.identifier(at: "order", "order_id") }

    public func read(_ item: SourceReader, context: FeedContext) throws(ItemError) -> OrderFeedItem {
        let order = try item.object("order")
        let orderID = try order.identifier("order_id")
        let items = try item.array("items")
        guard !items.isEmpty else { throw ItemError(reason: "items: the order has no items") }
        let statuses = try items.map { entry throws(ItemError) in try entry.boundedString("status") }
        guard statuses.allSatisfy({ Self.completedStatuses.contains($0) }) else {
            let open = statuses.first { !Self.completedStatuses.contains($0) } ?? ""
            return .pending(PendingOrder(platform: context.platform, externalID: orderID, status: open))
        }
        let seller = try SellerBlock(try item.object("seller"))
        var lines: [Line] = []
        var completedAt = Timestamp(unixSeconds: .min)
        var sellerVouchers: [Int64] = []
        var platformVouchers: [Int64] = []
        var paid: [Int64] = []
        for entry in items {
            lines.append(
                Line(
                    sku: try entry.optionalIdentifier("sku") ?? "", name: try entry.optionalName("name") ?? "",
                    category: seller.category, quantity: 1, amount: try entry.money("item_price")))
            completedAt = max(completedAt, try entry.isoTime("updated_at"))
            sellerVouchers.append(try entry.optionalMoney("voucher_seller"))
            platformVouchers.append(try entry.optionalMoney("voucher_platform"))
            paid.append(try entry.money("paid_price"))
        }
        let shipping = try order.optionalMoney("shipping_fee")
        var fees: [Int64] = []
        var vat: [Int64] = []
        var pit: [Int64] = []
        for row in try item.optionalArray("transactions") {
            let feeType = try row.optionalString("fee_type") ?? ""
            let amount = try row.signedMoney("amount")
            if Self.feeTypes.contains(feeType) { fees.append(amount) }
            if feeType == "Withholding VAT" { vat.append(amount) }
            if feeType == "Withholding PIT" { pit.append(amount) }
        }
        let amounts = try makeAmounts(
            lines: lines,
            sellerDiscount: try sellerVouchers.checkedSum("voucher_seller"),
            platformDiscount: try platformVouchers.checkedSum("voucher_platform"),
            shippingFee: shipping,
            buyerPaid: try (paid + [shipping]).checkedSum("buyer_paid"),
            platformFees: try charged(fees, "platform fees"))
        let record = TransactionRecord(
            platform: context.platform, kind: .sale, externalID: orderID, occurredAt: completedAt,
            seller: seller.seller, lines: lines, amounts: amounts,
            withholding: Withholding(vat: try charged(vat, "Withholding VAT"), pit: try charged(pit, "Withholding PIT")),
            source: context.source)
        return .record(
            AdaptedRecord(record: record, cashOnDelivery: try order.optionalString("payment_method") == "COD"))
    }
}
