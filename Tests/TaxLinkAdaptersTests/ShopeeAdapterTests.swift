import Testing
import TaxLinkAdapters
import TaxLinkCore

@Suite("Shopee orders and returns")
struct ShopeeAdapterTests {
    static func order(status: String = "COMPLETED", total: String = "295000", price: String = "150000") -> String {
        #"""
        {"order": {"order_sn": "2601090ABC", "order_status": "\#(status)", "update_time": 1767928500, "cod": true,
          "total_amount": \#(total), "buyer_username": "someone", "recipient_address": {"phone": "0900000000"},
          "item_list": [{"item_id": 11, "item_name": "Áo thun", "item_sku": "TS", "model_sku": "", "model_quantity_purchased": 2,
                         "model_original_price": \#(price)}]},
         "escrow": {"order_income": {"seller_discount": 5000, "voucher_from_seller": 15000, "shopee_discount": 2000,
           "voucher_from_shopee": 3000, "coins": 5000, "buyer_paid_shipping_fee": 25000, "commission_fee": 10000,
           "service_fee": 5000, "seller_transaction_fee": 3000, "withholding_vat_tax": 2800, "withholding_pit_tax": 1400}},
         "seller": \#(sellerJSON)}
        """#
    }

    @Test func mapsEveryField() throws {
        let adapted = try #require(try adapt(ShopeeOrdersAdapter(), Self.order(), platform: "shopee").record)
        let record = adapted.record
        #expect(record.recordID == "shopee:sale:2601090ABC")
        #expect(record.occurredAt.iso8601 == "2026-01-09T03:15:00Z")
        #expect(record.lines == [Line(sku: "TS", name: "Áo thun", category: .goods, quantity: 2, amount: 300000)])
        #expect(record.amounts.sellerDiscount == 20000)
        #expect(record.amounts.platformDiscount == 10000)
        #expect(record.amounts.shippingFee == 25000)
        #expect(record.amounts.buyerPaid == 295000)
        #expect(record.amounts.platformFees == 18000)
        #expect(record.amounts.taxableRevenue == 280000)
        #expect(record.withholding == Withholding(vat: 2800, pit: 1400))
        #expect(record.seller.taxCode == "0100233488")
        #expect(adapted.cashOnDelivery)
        #expect(adapted.lineItemIDs == ["11": 0])
    }

    @Test(arguments: ["295000", "295000.0", "\"295000.00\"", "2.95e5"])
    func moneyAsIntFloatAndString(total: String) throws {
        let record = try #require(try adapt(ShopeeOrdersAdapter(), Self.order(total: total), platform: "shopee").record)
        #expect(record.record.amounts.buyerPaid == 295000)
    }

    @Test(arguments: ["\"150000.5\"", "-1", "\"abc\"", "150000.5", "true"])
    func badMoneyRejectsTheItem(price: String) throws {
        let rejection = try #require(try adapt(ShopeeOrdersAdapter(), Self.order(price: price), platform: "shopee").rejection)
        #expect(rejection.externalID == "2601090ABC")
        #expect(rejection.reason.contains("model_original_price"))
    }

    @Test func incompleteOrdersArePending() throws {
        let item = try adapt(ShopeeOrdersAdapter(), Self.order(status: "SHIPPED"), platform: "shopee")
        #expect(item == .pending(PendingOrder(platform: "shopee", externalID: "2601090ABC", status: "SHIPPED")))
    }

    @Test func returnsBecomeClaimsNamingTheirSale() throws {
        let text = #"""
            {"return": {"return_sn": "R1", "order_sn": "2601090ABC", "status": "COMPLETED", "update_time": 1768449180,
              "user": {"email": "x@example.vn"},
              "item": [{"item_id": 11, "item_sku": "TS", "amount": 1, "refund_amount": 150000}]},
             "withholding_reversal": {"vat": 1500, "pit": 750}}
            """#
        guard case .returnClaim(let claim) = try adapt(ShopeeReturnsAdapter(), text, platform: "shopee") else {
            Issue.record("expected a return claim")
            return
        }
        #expect(claim.recordID == "shopee:refund:R1")
        let sale = try #require(try adapt(ShopeeOrdersAdapter(), Self.order(), platform: "shopee").record)
        let refund = claim.refund(sale: sale.record, lineItemIDs: sale.lineItemIDs).record
        #expect(refund.originalExternalID == "2601090ABC")
        #expect(refund.lines == [Line(sku: "TS", name: "Áo thun", category: .goods, quantity: 1, amount: 150000)])
        #expect(refund.amounts.gross == 150000 && refund.amounts.buyerPaid == 150000 && refund.amounts.taxableRevenue == 150000)
        #expect(refund.amounts.platformFees == 0 && refund.amounts.shippingFee == 0)
        #expect(refund.withholding == Withholding(vat: 1500, pit: 750))
        #expect(refund.seller == sale.record.seller)
    }
}
