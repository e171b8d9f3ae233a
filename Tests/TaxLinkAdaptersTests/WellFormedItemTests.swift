import TaxLinkAdapters
import TaxLinkCore
import Testing

/// Records never carry control characters in ids or names, ids and names have length limits, and an item
/// with a duplicate member name is refused (before, the last member silently won).
@Suite("Well-formed items: ids, names, duplicate keys")
struct WellFormedItemTests {
    static let longName = String(repeating: "Á", count: RecordLimits.maximumNameLength + 1)
    static let longID = String(repeating: "9", count: RecordLimits.maximumIdentifierLength + 1)

    @Test(
        "ids and names that break the record schema reject the item",
        arguments: [
            (#""order_sn": "2601090ABC""#, #""order_sn": "2601090\nABC""#),
            (#""order_sn": "2601090ABC""#, #""order_sn": "2601090\u0000ABC""#),
            (#""order_sn": "2601090ABC""#, #""order_sn": "\#(longID)""#),
            (#""item_name": "Áo thun""#, #""item_name": "Áo\u0000thun""#),
            (#""item_name": "Áo thun""#, #""item_name": "\#(longName)""#),
            (#""item_sku": "TS""#, #""item_sku": "T\u0007S""#),
            (#""item_id": 11"#, #""item_id": "1\u001F1""#),
            (#""platform_seller_id": "88123""#, #""platform_seller_id": "88\u0000123""#),
            (#""name": "Hộ kinh doanh Minh Anh""#, #""name": "Hộ\u0085kinh doanh""#),
            (#""tax_id": "0100233488""#, #""tax_id": "01002\u00003488""#),
            (#""order_status": "COMPLETED""#, #""order_status": "COMPLETED\u0000""#),
        ]
    )
    func badTextRejectsTheItem(field: String, value: String) throws {
        let text = AmountCeilingTests.shopee([(field, value)])
        let rejection = try #require(try adapt(ShopeeOrdersAdapter(), text, platform: "shopee").rejection)
        #expect(rejection.code == nil)
        #expect(
            rejection.reason.contains("control character") || rejection.reason.contains("longer than"),
            "\(rejection.reason)"
        )
    }

    @Test func namesAndIdsAtTheLimitAreAccepted() throws {
        let text = AmountCeilingTests.shopee([
            (
                #""item_name": "Áo thun""#,
                #""item_name": "\#(String(repeating: "Á", count: RecordLimits.maximumNameLength))""#
            ),
            (
                #""order_sn": "2601090ABC""#,
                #""order_sn": "\#(String(repeating: "9", count: RecordLimits.maximumIdentifierLength))""#
            ),
        ])
        #expect(try adapt(ShopeeOrdersAdapter(), text, platform: "shopee").record != nil)
    }

    @Test func csvControlCharactersInIdsRejectTheOrder() throws {
        let row =
            "\"8\u{1}\",sale,,2026-01-10T10:00:00+07:00,30007,S,N,0100233488,household,false,A,a,goods,1,100000,0,0,0,100000,0,1000,500,false"
        let rejection = try #require(try CSVAdapterTests.adaptCSV([row]).first?.rejection)
        #expect(rejection.reason.contains("external_id: contains the control character U+0001"))
    }

    @Test func settlementIdsAreLimitedToo() throws {
        let body = """
            vnp_TxnRef,vnp_TransactionNo,vnp_Amount,vnp_PayDate,vnp_BankCode,vnp_TransactionStatus,vnp_OrderInfo
            SH1,14000001,17600000,20260106094628,NCB,00,shopee:A\u{1}B
            SH2,14000002,17600000,20260106094628,NCB,00,\(Self.longID):B
            SH3,14000003,17600000,20260106094628,NCB,00,shopee:C
            """
        let (settlements, _, rejections) = try VNPaySettlementsAdapter().adapt(
            Array(body.utf8),
            context: context("vnpay")
        )
        #expect(settlements.map(\.orderID) == ["C"])
        #expect(rejections.map(\.position) == [.line(2), .line(3)])
    }

    @Test(
        "a duplicate member name rejects only its item",
        arguments: [
            #"{"order": {"order_sn": "D1", "order_status": "CANCELLED", "order_status": "COMPLETED"}}"#,
            #"{"order": {"order_sn": "D1", "order_status": "COMPLETED"}, "order": {"order_sn": "D1"}}"#,
            #"{"order": {"order_sn": "D1", "item_list": [{"model_sku": "a", "model_sku": "b"}]}}"#,
        ]
    )
    func duplicateKeys(item: String) throws {
        let body = #"{"orders": [\#(item), \#(ShopeeAdapterTests.order())]}"#
        let document = try JSONParser.parse(Array(body.utf8))
        let items = try #require(document["orders"]?.arrayValue)
        let first = ShopeeOrdersAdapter().adapt(items[0], at: .index(0), context: context("shopee"))
        let rejection = try #require(first.rejection)
        #expect(rejection.reason.contains("occurs twice"), "\(rejection.reason)")
        #expect(ShopeeOrdersAdapter().adapt(items[1], at: .index(1), context: context("shopee")).record != nil)
    }

    @Test func theStrictParserNamesTheDuplicate() {
        let text = #"{"order_status":"CANCELLED","order_status":"COMPLETED"}"#
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(text.utf8), duplicateKeys: .reject) }
        do {
            _ = try JSONParser.parse(Array(text.utf8), duplicateKeys: .reject)
        } catch {
            #expect(error.message == #"duplicate member name "order_status" in an object"#)
        }
        let nested = try? JSONParser.parse(Array(#"{"a": [{"b": 1}, {"c": {"d": 1, "d": 2}}]}"#.utf8))
        #expect(nested?.duplicateMemberPath == "a[1].c.d")
    }

    @Test func aDeclarationRowWithADuplicateKeyIsRejectedAlone() throws {
        let body = #"""
            {"tax_period": "2026-01", "rows": [
              {"platform_seller_id": "1", "revenue": 100, "vat": 1, "vat": 0, "pit": 0},
              {"platform_seller_id": "2", "revenue": 100, "vat": 1, "pit": 0}]}
            """#
        let (declaration, _, rejections) = try DeclarationsAdapter().adapt(Array(body.utf8), context: context("tiki"))
        #expect(rejections.map(\.position) == [.index(0)])
        #expect(declaration.rows.map(\.platformSellerID) == ["2"])
    }

    @Test func declarationRowsMayBeNegativeNetFigures() throws {
        let body = #"""
            {"tax_period": "2026-01", "rows": [
              {"platform_seller_id": "1", "revenue": -250000, "vat": "-2500.00", "pit": -1250},
              {"platform_seller_id": "1", "revenue": 50000, "vat": 500, "pit": 250}]}
            """#
        let (declaration, _, rejections) = try DeclarationsAdapter().adapt(Array(body.utf8), context: context("tiki"))
        #expect(rejections.isEmpty)
        #expect(declaration.rows.map(\.revenue) == [-200_000])
        #expect(declaration.rows.map(\.vat) == [-2_000] && declaration.rows.map(\.pit) == [-1_000])
    }
}
