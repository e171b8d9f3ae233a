import Foundation
import TaxLinkAdapters
import TaxLinkCore
import Testing

/// Every amount from outside, and every sum or product an adapter forms, stays within ±10¹⁵ đồng; beyond
/// it the item is rejected as `AMOUNT_INVALID` naming the ceiling (before, several of these trapped on
/// `Int64` overflow and stopped the process).
@Suite("Amount ceiling in the adapters")
struct AmountCeilingTests {
    static let max = "9223372036854775807"
    static let ceiling = "1000000000000000"

    /// A Shopee order whose fields are replaced (`"name": value` text substitutions).
    static func shopee(_ replacements: [(String, String)]) -> String {
        var text = ShopeeAdapterTests.order()
        for (field, value) in replacements {
            text = text.replacingFirst(field, value)
        }
        return text
    }

    @Test(
        "Shopee amounts and sums beyond the ceiling reject the item",
        arguments: [
            // withholding VAT at 2^63−1 plus any PIT: the sum overflowed in the assessment
            [(#""withholding_vat_tax": 2800"#, #""withholding_vat_tax": \#(max)"#)],
            // each within the ceiling, the sum beyond
            [(#""withholding_vat_tax": 2800"#, #""withholding_vat_tax": \#(ceiling)"#)],
            [(#""buyer_paid_shipping_fee": 25000"#, #""buyer_paid_shipping_fee": \#(max)"#)],
            [(#""coins": 5000"#, #""coins": \#(max)"#), (#""total_amount": 295000"#, #""total_amount": \#(max)"#)],
            [(#""coins": 5000"#, #""coins": \#(ceiling)"#)],
            [(#""model_original_price": 150000"#, #""model_original_price": \#(ceiling)"#)],
            [(#""buyer_paid_shipping_fee": 25000"#, #""buyer_paid_shipping_fee": \#(ceiling)"#)],
            [(#""commission_fee": 10000"#, #""commission_fee": "1e16""#)],
        ]
    )
    func shopeeOutOfRange(replacements: [(String, String)]) throws {
        let item = try adapt(ShopeeOrdersAdapter(), Self.shopee(replacements), platform: "shopee")
        try Self.expectCeilingRejection(item)
    }

    @Test(
        "Lazada and TikTok Shop sums beyond the ceiling reject the item",
        arguments: [
            (
                "lazada", MarketplaceAdapterTests.lazada().replacingFirst(#""-1900.00""#, #""-\#(max).00""#)
            ),
            (
                "lazada",
                MarketplaceAdapterTests.lazada().replacingFirst(#""item_price": "100000.00""#, #""item_price": "9e14""#)
                    .replacingFirst(#""item_price": "100000.00""#, #""item_price": "9e14""#)
            ),
            (
                "tiktokshop",
                MarketplaceAdapterTests.tiktok().replacingFirst(#""49000.00""#, #""900000000000000""#)
                    .replacingFirst(#""49000.00""#, #""900000000000000""#)
            ),
            (
                "tiktokshop",
                MarketplaceAdapterTests.tiktok().replacingFirst(
                    #""vat_amount": "-5290.00""#,
                    #""vat_amount": "-\#(ceiling)""#
                )
            ),
        ]
    )
    func marketplaceOutOfRange(platform: String, text: String) throws {
        let adapter: any JSONItemAdapter = platform == "lazada" ? LazadaOrdersAdapter() : TikTokShopOrdersAdapter()
        let item = adapter.adapt(try JSONParser.parse(Array(text.utf8)), at: .index(0), context: context(platform))
        try Self.expectCeilingRejection(item)
    }

    @Test(
        "Shopee returns beyond the ceiling reject the item",
        arguments: [
            (#""refund_amount": \#(max)"#, #""vat": 1500"#),
            (#""refund_amount": 150000"#, #""vat": \#(ceiling)"#),
        ]
    )
    func returnsOutOfRange(refund: String, vat: String) throws {
        let text = #"""
            {"return": {"return_sn": "R1", "order_sn": "2601090ABC", "status": "COMPLETED", "update_time": 1768449180,
              "item": [{"item_id": 11, "item_sku": "TS", "amount": 1, \#(refund)}]},
             "withholding_reversal": {\#(vat), "pit": 750}}
            """#
        try Self.expectCeilingRejection(try adapt(ShopeeReturnsAdapter(), text, platform: "shopee"))
    }

    @Test(
        "generic CSV amounts and sums beyond the ceiling reject the order",
        arguments: [
            "1,\(max),0,0,0,100000,0,1000,500",  // line amount
            "1,100000,0,0,0,100000,0,\(ceiling),1",  // VAT + PIT
            "1,100000,0,0,\(ceiling),100000,0,1000,500",  // gross + shipping
            "9223372036854775808,100000,0,0,0,100000,0,1000,500",  // quantity beyond Int64
            "1000000000000001,100000,0,0,0,100000,0,1000,500",  // quantity beyond the ceiling
        ]
    )
    func csvOutOfRange(columns: String) throws {
        let row = "7,sale,,2026-01-10T10:00:00+07:00,30007,S,N,0100233488,household,false,A,a,goods,\(columns),false"
        let item = try #require(try CSVAdapterTests.adaptCSV([row]).first)
        let rejection = try #require(item.rejection)
        #expect(rejection.position == .line(2))
        #expect(rejection.reason.contains("10^15"))
    }

    @Test func vnpayAmountBeyondTheCeilingIsRejected() throws {
        let body = """
            vnp_TxnRef,vnp_TransactionNo,vnp_Amount,vnp_PayDate,vnp_BankCode,vnp_TransactionStatus,vnp_OrderInfo
            SH1,14000001,\(Self.max)00,20260106094628,NCB,00,shopee:A
            SH2,14000002,100000000000000100,20260106094628,NCB,00,shopee:B
            """
        let (settlements, _, rejections) = try VNPaySettlementsAdapter().adapt(
            Array(body.utf8),
            context: context("vnpay")
        )
        #expect(settlements.isEmpty)
        #expect(rejections.map(\.position) == [.line(2), .line(3)])
        #expect(rejections.allSatisfy { $0.code == .amountInvalid })
    }

    @Test func declarationRowsBeyondTheCeilingAreRejected() throws {
        let body = #"""
            {"tax_period": "2026-01", "rows": [
              {"platform_seller_id": "1", "revenue": 100, "vat": \#(Self.max), "pit": 1},
              {"platform_seller_id": "2", "revenue": \#(Self.ceiling), "vat": 0, "pit": 0},
              {"platform_seller_id": "2", "revenue": 1, "vat": 0, "pit": 0}]}
            """#
        let (declaration, _, rejections) = try DeclarationsAdapter().adapt(Array(body.utf8), context: context("tiki"))
        #expect(rejections.map(\.position) == [.index(0), .index(2)])
        #expect(rejections.allSatisfy { $0.code == .amountInvalid && $0.reason.contains("10^15") })
        #expect(declaration.rows.map(\.revenue) == [1_000_000_000_000_000])
    }

    static func expectCeilingRejection(_ item: OrderFeedItem, sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        let rejection = try #require(item.rejection, sourceLocation: sourceLocation)
        #expect(rejection.code == .amountInvalid, sourceLocation: sourceLocation)
        #expect(rejection.reason.contains("10^15"), "\(rejection.reason)", sourceLocation: sourceLocation)
    }
}

extension String {
    /// The text with the first occurrence of `target` replaced; a test fails loudly when it is missing.
    func replacingFirst(_ target: String, _ replacement: String) -> String {
        guard let range = range(of: target) else {
            Issue.record("'\(target)' is not in the text")
            return self
        }
        return replacingCharacters(in: range, with: replacement)
    }
}
