import Foundation
import TaxLinkAdapters
import TaxLinkCore
import TaxLinkStore
import Testing

/// The ingest path that `taxlink ingest` and the HTTP routes share: items with amounts or sums beyond the
/// ceiling are rejected with a reason, the other items are stored and reconcile (before, each of these
/// items stopped the process on `Int64` overflow while its flags were computed).
@Suite("Ingest refuses amounts beyond the ceiling")
struct IngestCeilingTests {
    static let max = "9223372036854775807"

    static func shopee(_ id: String, income: String = "", vat: String = "3000", total: String = "300000") -> String {
        """
        {"order": {"order_sn": "\(id)", "order_status": "COMPLETED", "update_time": 1767928500, "cod": true,
          "total_amount": \(total), "item_list": [{"item_id": 1, "item_name": "Áo", "item_sku": "A",
          "model_quantity_purchased": 1, "model_original_price": 300000}]},
         "escrow": {"order_income": {\(income)"withholding_vat_tax": \(vat), "withholding_pit_tax": 1500}},
         "seller": {"platform_seller_id": "1", "name": "Hộ A", "tax_id": "0100233488", "type": "household",
                    "category": "goods"}}
        """
    }

    static let items = [
        shopee("OK"),
        shopee("VAT", vat: max),
        shopee("SHIP", income: #""buyer_paid_shipping_fee": \#(max), "#),
        shopee("COINS", income: #""coins": \#(max), "#, total: max),
    ]

    @Test(arguments: [FeedSource.BodyFormat.json, .ndjson])
    func overflowingItemsAreRejectedAndTheRestStored(format: FeedSource.BodyFormat) async throws {
        try await withTemporaryStore { store in
            let body =
                format == .json
                ? #"{"orders": [\#(Self.items.joined(separator: ","))]}"#
                : Self.items.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
            let summary = try await store.push("shopee/orders", body, format: format)
            #expect(summary.accepted == 1)
            #expect(summary.rejected.map(\.externalID) == ["VAT", "SHIP", "COINS"])
            #expect(summary.rejected.allSatisfy { $0.code == "AMOUNT_INVALID" && $0.reason.contains("10^15") })
            let findings = try await store.reconcile()
            #expect(findings.with(.reconcileError).isEmpty)
        }
    }
}
