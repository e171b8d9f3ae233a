import ArgumentParser
import Foundation
import Logging
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkIngest
import TaxLinkStore

/// `taxlink bench-ingest --orders N`: synthetic NDJSON feeds for each JSON platform, generated as a
/// stream (never held whole), ingested into a fresh store (SQLite by default, or `--database`);
/// reports orders/s and peak memory.
struct BenchIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ingest",
        abstract: "Benchmark ingest of synthetic Shopee, Lazada and TikTok Shop NDJSON feeds (build with -c release)."
    )

    @Option(help: "Orders per platform.") var orders = 200_000
    @OptionGroup var database: BenchDatabaseOptions

    func run() async throws {
        try await BenchDatabase.withTemporaryFolder("taxlink-bench-ingest") { folder in
            try await BenchDatabase.with(database, folder: folder, logger: .cli) { stores in
                try await bench(Ingestor(storage: stores[0]))
            }
        }
    }

    private func bench(_ ingestor: Ingestor) async throws {
        let clock = ContinuousClock()
        var results: [(key: String, value: JSONValue)] = []
        var total = Duration.zero
        for platform in SyntheticFeed.Platform.allCases {
            let feed = SyntheticFeed(platform: platform, orders: max(1, orders))
            var summary: FeedSummary?
            let elapsed = try await clock.measure {
                summary = try await ingestor.ingestStream(
                    source: FeedSource(path: "\(platform.rawValue)/orders", format: .ndjson),
                    chunks: feed,
                    receivedAt: Timestamp(unixSeconds: 1_769_000_000)
                )
            }
            total += elapsed
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            Output.progress("\(platform.rawValue): \(orders) orders in \(String(format: "%.2f", seconds)) s")
            results.append(
                (
                    key: platform.rawValue,
                    value: .object([
                        "accepted": .int(summary?.accepted ?? 0),
                        "seconds": .number(String(format: "%.3f", seconds)),
                        "orders_per_second": .int(Int(Double(orders) / max(seconds, 1e-9))),
                    ])
                )
            )
        }
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        results.append((key: "orders_per_second", value: .int(Int(Double(orders * 3) / max(seconds, 1e-9)))))
        results.append((key: "peak_rss_mib", value: .int(Memory.peakMiB())))
        var output = Output()
        output.json(.object(JSONObject(results)))
        output.flush()
    }
}

/// A synthetic NDJSON orders feed, produced in chunks of about 1 MiB as it is read.
struct SyntheticFeed: AsyncSequence, Sendable {
    enum Platform: String, CaseIterable, Sendable {
        case shopee, lazada, tiktokshop
    }

    typealias Element = [UInt8]
    let platform: Platform
    let orders: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let feed: SyntheticFeed
        var next = 0

        mutating func next() async -> [UInt8]? {
            guard next < feed.orders else { return nil }
            var chunk: [UInt8] = []
            chunk.reserveCapacity(1 << 20 + 4096)
            while next < feed.orders, chunk.count < 1 << 20 {
                chunk.append(contentsOf: feed.line(next).utf8)
                chunk.append(0x0A)
                next += 1
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(feed: self) }

    private static let seller =
        #"{"platform_seller_id": "S1", "shop_name": "Minh Anh", "name": "Hộ kinh doanh Minh Anh", "tax_id": "0100233488", "type": "household", "non_resident": false, "category": "goods"}"#

    /// Order `index` of this platform, in the platform's own shape.
    func line(_ index: Int) -> String {
        let price = 100_000 + index % 900 * 1_000
        switch platform {
        case .shopee:
            return
                #"{"order": {"order_sn": "SB\#(index)", "order_status": "COMPLETED", "update_time": 1768000000, "cod": false, "total_amount": \#(price * 2), "buyer_username": "u\#(index)", "item_list": [{"item_id": 1, "item_name": "Áo thun", "item_sku": "TS", "model_sku": "TS-M", "model_quantity_purchased": 2, "model_original_price": \#(price)}]}, "escrow": {"order_income": {"seller_discount": 0, "voucher_from_seller": 0, "shopee_discount": 0, "voucher_from_shopee": 0, "coins": 0, "buyer_paid_shipping_fee": 0, "commission_fee": 1000, "service_fee": 500, "seller_transaction_fee": 300, "withholding_vat_tax": \#(price * 2 / 100), "withholding_pit_tax": \#(price * 2 / 200)}}, "seller": \#(Self.seller)}"#
        case .lazada:
            return
                #"{"order": {"order_id": "LB\#(index)", "shipping_fee": "0.00", "payment_method": "MIXEDCARD"}, "items": [{"name": "Nón lá", "sku": "NL", "item_price": "\#(price).00", "paid_price": "\#(price).00", "voucher_seller": "0.00", "voucher_platform": "0.00", "status": "delivered", "updated_at": "2026-01-16 11:26:51 +0700"}], "transactions": [{"fee_type": "Commission", "amount": "-1000.00"}, {"fee_type": "Withholding VAT", "amount": "-\#(price / 100).00"}, {"fee_type": "Withholding PIT", "amount": "-\#(price / 200).00"}], "seller": \#(Self.seller)}"#
        case .tiktokshop:
            return
                #"{"order": {"id": "TB\#(index)", "status": "COMPLETED", "update_time": 1768788830, "is_cod": false, "payment": {"seller_discount": "0.00", "platform_discount": "0.00", "shipping_fee": "0.00", "total_amount": "\#(price).00", "original_total_product_price": "\#(price).00"}, "line_items": [{"sku_id": "K1", "seller_sku": "TN", "product_name": "Tai nghe", "original_price": "\#(price).00"}]}, "statement": {"sku_transactions": [{"fee_tax_breakdown": {"fee": {"platform_commission_amount": "-1000.00", "transaction_fee_amount": "0.00"}, "tax": {"vat_amount": "-\#(price / 100).00", "pit_amount": "-\#(price / 200).00"}}}]}, "seller": \#(Self.seller)}"#
        }
    }
}
