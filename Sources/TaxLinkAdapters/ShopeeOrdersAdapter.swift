import TaxLinkCore

/// Shopee orders: `{"orders": [{"order": <get_order_detail>, "escrow": <get_escrow_detail>, "seller": {…}}]}`.
public struct ShopeeOrdersAdapter: JSONItemAdapter {
    public let envelopeKey = "orders"

    public init() {}

    public func externalID(of item: JSONValue) -> String? { item.identifier(at: "order", "order_sn") }

    public func read(_ item: SourceReader, context: FeedContext) throws(ItemError) -> OrderFeedItem {
        let order = try item.object("order")
        let orderID = try order.identifier("order_sn")
        let status = try order.boundedString("order_status")
        guard status == "COMPLETED" else {
            return .pending(PendingOrder(platform: context.platform, externalID: orderID, status: status))
        }
        let seller = try SellerBlock(try item.object("seller"))
        var lines: [Line] = []
        var itemIDs: [String: Int] = [:]
        for entry in try order.array("item_list") {
            let quantity = try entry.quantity("model_quantity_purchased")
            let unitPrice = try entry.money("model_original_price")
            let modelSKU = try entry.optionalIdentifier("model_sku") ?? ""
            if let itemID = try entry.optionalIdentifier("item_id"), itemIDs[itemID] == nil { itemIDs[itemID] = lines.count }
            lines.append(
                Line(
                    sku: modelSKU.isEmpty ? try entry.optionalIdentifier("item_sku") ?? "" : modelSKU,
                    name: try entry.optionalName("item_name") ?? "",
                    category: seller.category,
                    quantity: quantity,
                    amount: try multiply(unitPrice, quantity, "\(entry.path).model_original_price")))
        }
        let income = try item.object("escrow").object("order_income")
        let amounts = try makeAmounts(
            lines: lines,
            sellerDiscount: try [income.optionalMoney("seller_discount"), income.optionalMoney("voucher_from_seller")]
                .checkedSum("seller_discount"),
            platformDiscount: try [
                income.optionalMoney("shopee_discount"), income.optionalMoney("voucher_from_shopee"),
                income.optionalMoney("coins"),
            ].checkedSum("platform_discount"),
            shippingFee: try income.optionalMoney("buyer_paid_shipping_fee"),
            buyerPaid: try order.money("total_amount"),
            platformFees: try [
                income.optionalMoney("commission_fee"), income.optionalMoney("service_fee"),
                income.optionalMoney("seller_transaction_fee"),
            ].checkedSum("platform_fees"))
        let record = TransactionRecord(
            platform: context.platform, kind: .sale, externalID: orderID,
            occurredAt: try order.unixTime("update_time"), seller: seller.seller, lines: lines, amounts: amounts,
            withholding: Withholding(
                vat: try income.optionalMoney("withholding_vat_tax"), pit: try income.optionalMoney("withholding_pit_tax")),
            source: context.source)
        return .record(
            AdaptedRecord(record: record, cashOnDelivery: try order.bool("cod"), lineItemIDs: itemIDs))
    }
}
