import TaxLinkAdapters

/// The bundled sample feeds (`mocks/feeds`), in the order of the samples' README.
public enum SampleFeeds {
    /// Each sample: the push path (`platform/kind`), its file in `mocks/feeds`, its body format.
    public static let all: [(path: String, file: String, format: FeedSource.BodyFormat)] = [
        ("shopee/orders", "shopee-orders.json", .json),
        ("shopee/returns", "shopee-returns.json", .json),
        ("lazada/orders", "lazada-orders.json", .json),
        ("tiktokshop/orders", "tiktokshop-orders.json", .json),
        ("tiki/orders", "tiki-orders.csv", .csv),
        ("shopee/declarations", "declarations-shopee.json", .json),
        ("lazada/declarations", "declarations-lazada.json", .json),
        ("tiktokshop/declarations", "declarations-tiktokshop.json", .json),
        ("tiki/declarations", "declarations-tiki.json", .json),
        ("vnpay/settlements", "vnpay-settlements.csv", .csv),
    ]
}
