import Foundation
import Testing
import TaxLinkAdapters
import TaxLinkCore

@Suite("Lazada and TikTok Shop")
struct MarketplaceAdapterTests {
    static func lazada(status2: String = "delivered", updated2: String = "2026-01-16 11:26:51 +0700") -> String {
        #"""
        {"order": {"order_id": "400001", "shipping_fee": "15000.00", "payment_method": "COD",
                   "customer_first_name": "A", "address_billing": {"phone": "1"}},
         "items": [
           {"name": "Áo", "sku": "A-1", "item_price": "100000.00", "paid_price": "90000.00", "voucher_seller": "10000.00",
            "voucher_platform": "0.00", "status": "delivered", "updated_at": "2026-01-05T00:24:00+07:00"},
           {"name": "Áo", "sku": "A-1", "item_price": "100000.00", "paid_price": "95000.00", "voucher_seller": "0.00",
            "voucher_platform": "5000.00", "status": "\#(status2)", "updated_at": "\#(updated2)"}],
         "transactions": [
           {"fee_type": "Item Price Credit", "amount": "200000.00"}, {"fee_type": "Commission", "amount": "-8000.00"},
           {"fee_type": "Payment Fee", "amount": "-2000.00"}, {"fee_type": "Service Fee", "amount": "-1000.00"},
           {"fee_type": "Withholding VAT", "amount": "-1900.00"}, {"fee_type": "Withholding PIT", "amount": "-950.00"}],
         "seller": \#(sellerJSON)}
        """#
    }

    @Test func lazadaMapsItemsTransactionsAndBothTimeFormats() throws {
        let adapted = try #require(try adapt(LazadaOrdersAdapter(), Self.lazada(), platform: "lazada").record)
        let record = adapted.record
        #expect(record.lines.count == 2 && record.lines.allSatisfy { $0.quantity == 1 && $0.amount == 100000 })
        #expect(record.occurredAt.iso8601 == "2026-01-16T04:26:51Z")
        #expect(record.amounts.sellerDiscount == 10000 && record.amounts.platformDiscount == 5000)
        #expect(record.amounts.buyerPaid == 90000 + 95000 + 15000)
        #expect(record.amounts.platformFees == 11000)
        #expect(record.withholding == Withholding(vat: 1900, pit: 950))
        #expect(adapted.cashOnDelivery)
        let iso = try #require(
            try adapt(LazadaOrdersAdapter(), Self.lazada(updated2: "2026-01-01T05:10:33+07:00"), platform: "lazada").record)
        #expect(iso.record.occurredAt.iso8601 == "2026-01-04T17:24:00Z")
    }

    @Test func lazadaIsPendingUntilEveryItemIsDone() throws {
        let item = try adapt(LazadaOrdersAdapter(), Self.lazada(status2: "ready_to_ship"), platform: "lazada")
        #expect(item == .pending(PendingOrder(platform: "lazada", externalID: "400001", status: "ready_to_ship")))
    }

    static func tiktok(total: String = "627000.00") -> String {
        #"""
        {"order": {"id": "5700001", "status": "COMPLETED", "update_time": 1768788830, "is_cod": false,
          "payment": {"seller_discount": "0.00", "platform_discount": "20055.00", "shipping_fee": "0.00",
                      "total_amount": "606945.00", "original_total_product_price": "\#(total)"},
          "line_items": [
            {"sku_id": "S1", "seller_sku": "TN-08", "product_name": "Tai nghe", "original_price": "529000.00"},
            {"sku_id": "S2", "seller_sku": "NL-17", "product_name": "Nón lá", "original_price": "49000.00"},
            {"sku_id": "S2", "seller_sku": "NL-17", "product_name": "Nón lá", "original_price": "49000.00"}]},
         "statement": {"sku_transactions": [
            {"fee_tax_breakdown": {"fee": {"platform_commission_amount": "-1000.00", "transaction_fee_amount": "-41948.00"},
                                   "tax": {"vat_amount": "-5290.00", "pit_amount": "-2645.00"}}},
            {"fee_tax_breakdown": {"fee": {"platform_commission_amount": "0.00", "transaction_fee_amount": "-7770.00"},
                                   "tax": {"vat_amount": "-980.00", "pit_amount": "-490.00"}}}]},
         "seller": \#(sellerJSON)}
        """#
    }

    @Test func tiktokGroupsUnitsBySKU() throws {
        let adapted = try #require(try adapt(TikTokShopOrdersAdapter(), Self.tiktok(), platform: "tiktokshop").record)
        #expect(adapted.record.lines.map(\.quantity) == [1, 2])
        #expect(adapted.record.lines.map(\.amount) == [529000, 98000])
        #expect(adapted.record.amounts.platformFees == 1000 + 41948 + 7770)
        #expect(adapted.record.withholding == Withholding(vat: 6270, pit: 3135))
        #expect(adapted.sourceDifference == nil)
    }

    @Test func tiktokProductTotalMustMatchTheLines() throws {
        let adapted = try #require(try adapt(TikTokShopOrdersAdapter(), Self.tiktok(total: "630000.00"), platform: "tiktokshop").record)
        #expect(adapted.sourceDifference == 3000)
        let assessment = RecordAssessment(record: adapted.record, sourceDifference: adapted.sourceDifference)
        #expect(assessment.flags.contains(.amountInconsistent))
    }

    @Test func sellerTaxIdsAreNormalised() throws {
        for (raw, taxCode, nationalID) in [
            ("\"0100233488001\"", "0100233488-001", nil), ("\"015 179 442 182\"", nil, "015179442182"),
            ("\"12345\"", "12345", nil), ("null", nil, nil),
        ] as [(String, String?, String?)] {
            let text = Self.tiktok().replacingOccurrences(of: #""tax_id": "0100233488""#, with: #""tax_id": \#(raw)"#)
            let record = try #require(try adapt(TikTokShopOrdersAdapter(), text, platform: "tiktokshop").record).record
            #expect(record.seller.taxCode == taxCode && record.seller.nationalID == nationalID, "\(raw)")
        }
    }
}
