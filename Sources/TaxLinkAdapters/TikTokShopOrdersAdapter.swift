import TaxLinkCore

/// TikTok Shop orders: `{"orders": [{"order": <Get Order Detail 202309>, "statement":
/// <202501 statement_transactions>, "seller": {…}}]}`. Line items are one per unit and are grouped
/// by `sku_id`.
public struct TikTokShopOrdersAdapter: JSONItemAdapter {
    public let envelopeKey = "orders"

    public init() {}

    public func externalID(of item: JSONValue) -> String? { item.identifier(at: "order", "id") }

    public func read(_ item: SourceReader, context: FeedContext) throws(ItemError) -> OrderFeedItem {
        let order = try item.object("order")
        let orderID = try order.identifier("id")
        let status = try order.boundedString("status")
        guard status == "COMPLETED" else {
            return .pending(PendingOrder(platform: context.platform, externalID: orderID, status: status))
        }
        let seller = try SellerBlock(try item.object("seller"))
        var lines: [Line] = []
        var lineOfSKU: [String: Int] = [:]
        for entry in try order.array("line_items") {
            let skuID = try entry.identifier("sku_id")
            let price = try entry.money("original_price")
            if let index = lineOfSKU[skuID] {
                lines[index].quantity += 1
                lines[index].amount = try [lines[index].amount, price].checkedSum("original_price")
            } else {
                lineOfSKU[skuID] = lines.count
                lines.append(
                    Line(
                        sku: try entry.optionalIdentifier("seller_sku") ?? "",
                        name: try entry.optionalName("product_name") ?? "",
                        category: seller.category, quantity: 1, amount: price))
            }
        }
        let payment = try order.object("payment")
        let amounts = try makeAmounts(
            lines: lines,
            sellerDiscount: try payment.optionalMoney("seller_discount"),
            platformDiscount: try payment.optionalMoney("platform_discount"),
            shippingFee: try payment.optionalMoney("shipping_fee"),
            buyerPaid: try payment.money("total_amount"),
            platformFees: 0)
        let productTotal = try payment.money("original_total_product_price")
        var fees: [Int64] = []
        var vat: [Int64] = []
        var pit: [Int64] = []
        let statement = try item.object("statement")
        for transaction in try statement.optionalArray("sku_transactions") {
            let breakdown = try transaction.object("fee_tax_breakdown")
            let fee = try breakdown.object("fee")
            let tax = try breakdown.object("tax")
            fees.append(abs(try fee.signedMoney("platform_commission_amount")))
            fees.append(abs(try fee.signedMoney("transaction_fee_amount")))
            vat.append(abs(try tax.signedMoney("vat_amount")))
            pit.append(abs(try tax.signedMoney("pit_amount")))
        }
        var withFees = amounts
        withFees.platformFees = try fees.checkedSum("platform fees")
        let record = TransactionRecord(
            platform: context.platform, kind: .sale, externalID: orderID,
            occurredAt: try order.unixTime("update_time"), seller: seller.seller, lines: lines, amounts: withFees,
            withholding: Withholding(vat: try vat.checkedSum("vat_amount"), pit: try pit.checkedSum("pit_amount")),
            source: context.source)
        return .record(
            AdaptedRecord(
                record: record,
                sourceDifference: productTotal == amounts.gross ? nil : abs(productTotal - amounts.gross),
                cashOnDelivery: try order.bool("is_cod")))
    }
}
