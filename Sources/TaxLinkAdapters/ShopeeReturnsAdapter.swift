import TaxLinkCore

/// Shopee returns: `{"returns": [{"return": <get_return_detail>, "withholding_reversal": {"vat", "pit"}}]}`.
///
/// A completed return becomes a ``ReturnClaim``; ingest turns it into a refund record once its
/// sale is stored (the refund takes the sale's seller and line names).
public struct ShopeeReturnsAdapter: JSONItemAdapter {
    public let envelopeKey = "returns"

    public init() {}

    public func externalID(of item: JSONValue) -> String? { item.identifier(at: "return", "return_sn") }

    public func read(_ item: SourceReader, context: FeedContext) throws(ItemError) -> OrderFeedItem {
        let claim = try item.object("return")
        let returnID = try claim.identifier("return_sn")
        let orderID = try claim.identifier("order_sn")
        let status = try claim.boundedString("status")
        guard status == "COMPLETED" else {
            return .pending(PendingOrder(platform: context.platform, kind: .refund, externalID: returnID, status: status))
        }
        var items: [ReturnClaim.Item] = []
        for entry in try claim.array("item") {
            items.append(
                ReturnClaim.Item(
                    itemID: try entry.identifier("item_id"),
                    sku: try entry.optionalIdentifier("item_sku") ?? "",
                    quantity: try entry.quantity("amount"),
                    refundAmount: try entry.money("refund_amount")))
        }
        guard !items.isEmpty else { throw ItemError(reason: "return.item: the return has no items") }
        _ = try items.map(\.refundAmount).checkedSum("refund_amount")
        let reversal = try item.object("withholding_reversal")
        let vat = try reversal.money("vat")
        let pit = try reversal.money("pit")
        _ = try [vat, pit].checkedSum("withholding_reversal.vat + pit")
        return .returnClaim(
            ReturnClaim(
                platform: context.platform, returnID: returnID, orderID: orderID,
                completedAt: try claim.unixTime("update_time"), items: items,
                reversal: Withholding(vat: vat, pit: pit),
                source: context.source))
    }
}
