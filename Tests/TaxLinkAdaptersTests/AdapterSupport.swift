import TaxLinkAdapters
import TaxLinkCore

let context = FeedContext(
    feedID: "f-test", receivedAt: Timestamp.parseISO8601("2026-02-10T02:00:00Z")!, platform: "shopee")

func context(_ platform: String) -> FeedContext {
    FeedContext(feedID: "f-test", receivedAt: context.receivedAt, platform: platform)
}

/// Adapts one JSON item given as text.
func adapt(_ adapter: some JSONItemAdapter, _ text: String, platform: String) throws -> OrderFeedItem {
    adapter.adapt(try JSONParser.parse(Array(text.utf8)), at: .index(0), context: context(platform))
}

extension OrderFeedItem {
    var record: AdaptedRecord? {
        if case .record(let record) = self { return record }
        return nil
    }

    var rejection: Rejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}

let sellerJSON = #"{"platform_seller_id": "88123", "shop_name": "Minh Anh Store", "name": "Hộ kinh doanh Minh Anh", "tax_id": "0100233488", "type": "household", "non_resident": false, "category": "goods"}"#
