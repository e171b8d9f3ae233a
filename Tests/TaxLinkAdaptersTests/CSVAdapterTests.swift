import Testing
import TaxLinkAdapters
import TaxLinkCore

@Suite("Generic CSV, declarations and VNPay")
struct CSVAdapterTests {
    static let header =
        "order_id,kind,original_order_id,completed_at,seller_id,shop_name,seller_name,seller_tax_id,seller_type,non_resident,sku,item_name,category,quantity,line_amount,seller_discount,platform_discount,shipping_fee,buyer_paid,platform_fees,vat_withheld,pit_withheld,cod"

    static func adaptCSV(_ rows: [String], bom: Bool = false) throws -> [OrderFeedItem] {
        var bytes = bom ? [0xEF, 0xBB, 0xBF] as [UInt8] : []
        bytes += Array(([header] + rows).joined(separator: "\r\n").utf8)
        return try GenericCSVAdapter().adapt(bytes, context: context("tiki"))
    }

    @Test func bomQuotedCommasAndQuotes() throws {
        let items = try Self.adaptCSV(
            [
                #"1,sale,,2026-01-31T18:00:00Z,30007,"Shop, ""Việt""","Hộ kinh doanh ""A""",0100233488,household,false,S1,"Áo, dài",goods,1,100000,0,0,0,100000,0,1000,500,false"#,
                #"1,sale,,2026-01-31T18:00:00Z,30007,"Shop, ""Việt""","Hộ kinh doanh ""A""",0100233488,household,false,S2,Nón,,2,50000,0,0,0,100000,0,1000,500,false"#,
            ], bom: true)
        let record = try #require(items.first?.record).record
        #expect(record.seller.name == #"Hộ kinh doanh "A""#)
        #expect(record.lines.map(\.name) == ["Áo, dài", "Nón"])
        #expect(record.lines.map(\.category) == [.goods, .unknown])
        #expect(record.taxPeriod.description == "2026-02")
        #expect(record.amounts.gross == 150000)
    }

    @Test func disagreeingOrderColumnsKeepTheFirstAndFlag() throws {
        let items = try Self.adaptCSV([
            "2,sale,,2026-01-10T10:00:00+07:00,30007,S,N,0100233488,household,false,A,a,goods,1,100000,0,0,0,100000,0,1000,500,false",
            "2,sale,,2026-01-10T10:00:00+07:00,30007,S,N,0100233488,household,false,B,b,goods,1,100000,0,0,0,120000,0,1000,500,false",
        ])
        let adapted = try #require(items.first?.record)
        #expect(adapted.record.amounts.buyerPaid == 100000)
        #expect(adapted.sourceDifference == 20000)
    }

    @Test func aBadRowRejectsItsOrderNamingTheLine() throws {
        let items = try Self.adaptCSV([
            "3,sale,,2026-01-10T10:00:00+07:00,30007,S,N,0100233488,household,false,A,a,goods,1,100000,0,0,0,100000,0,1000,500,false",
            "3,sale,,2026-01-10T10:00:00+07:00,30007,S,N,0100233488,household,false,B,b,goods,1,100000.5,0,0,0,100000,0,1000,500,false",
            "4,refund,3,2026-01-12T10:00:00+07:00,30007,S,N,0100233488,household,false,A,a,goods,1,100000,0,0,0,100000,0,1000,500,false",
        ])
        let rejection = try #require(items.first?.rejection)
        #expect(rejection.position == .line(3))
        #expect(rejection.code == .amountInvalid)
        let refund = try #require(items.last?.record).record
        #expect(refund.kind == .refund && refund.originalExternalID == "3")
    }

    @Test func malformedCSVIsAFeedError() {
        #expect(throws: FeedError.self) { try Self.adaptCSV([#"5,"unterminated"#]) }
        #expect(throws: FeedError.self) {
            try GenericCSVAdapter().adapt(Array("order_id,kind\n1,sale".utf8), context: context("tiki"))
        }
    }

    @Test func vnpayAmountsAndTimes() throws {
        let body = """
            vnp_TxnRef,vnp_TransactionNo,vnp_Amount,vnp_PayDate,vnp_BankCode,vnp_TransactionStatus,vnp_OrderInfo
            SH1,14000001,17600000,20260106094628,NCB,00,shopee:260115HN1G201Y
            SH2,14000002,17600050,20260106094628,NCB,00,shopee:X
            SH3,14000003,17600000,20260106094628,NCB,24,shopee:Y
            SH4,14000004,17600000,20260106094628,NCB,00,nocolon
            """
        let (settlements, ignored, rejections) = try VNPaySettlementsAdapter().adapt(
            Array(body.utf8), context: context("vnpay"))
        #expect(settlements.count == 1)
        #expect(settlements[0].amount == 176000)
        #expect(settlements[0].paidAt.iso8601 == "2026-01-06T02:46:28Z")
        #expect(settlements[0].saleRecordID == "shopee:sale:260115HN1G201Y")
        #expect(ignored == 1)
        #expect(rejections.map(\.position) == [.line(3), .line(5)])
    }

    @Test func declarationsSumRowsPerSellerAndGroup() throws {
        let body = #"""
            {"tax_period": "2026-01", "rows": [
              {"platform_seller_id": "1", "tax_id": "0100233488", "category": "goods", "revenue": 100, "vat": 1, "pit": 0},
              {"platform_seller_id": "1", "tax_id": "0100233488", "category": "goods", "revenue": "50.00", "vat": 1, "pit": 1},
              {"platform_seller_id": "1", "tax_id": "0100233488", "category": "thời trang", "revenue": 10, "vat": 0, "pit": 0},
              {"platform_seller_id": "2", "revenue": "5.5", "vat": 0, "pit": 0}]}
            """#
        let (declaration, received, rejections) = try DeclarationsAdapter().adapt(Array(body.utf8), context: context("tiki"))
        #expect(received == 4)
        #expect(declaration.period.description == "2026-01")
        #expect(declaration.rows.map(\.group) == [.goods, .unknown])
        #expect(declaration.rows[0].revenue == 150 && declaration.rows[0].vat == 2 && declaration.rows[0].pit == 1)
        #expect(rejections.map(\.position) == [.index(3)])
    }
}

/// CSV bodies are read a row at a time: an order is handed out before later rows are read.
@Suite("Streamed CSV")
struct StreamedCSVTests {
    @Test func ordersAreReadOneAtATimeBeforeALaterBrokenRow() throws {
        let body = "order_id,kind,completed_at,seller_id,seller_type,quantity,line_amount,buyer_paid\n"
            + "A,sale,2026-01-05T10:00:00+07:00,1,household,1,100,100\nB,sale,x,1,household,1,1,1\nC,\"sale"
        var orders = try GenericCSVAdapter().orders(
            Array(body.utf8), context: FeedContext(feedID: "f", receivedAt: .now, platform: "tiki"))
        guard case .record = try #require(try orders.next()) else {
            Issue.record("the first order is not a record")
            return
        }
        #expect(throws: FeedError.self) { try orders.next() }
    }

    @Test func settlementRowsAreReadOneAtATime() throws {
        let body = "vnp_TxnRef,vnp_TransactionNo,vnp_Amount,vnp_PayDate,vnp_BankCode,vnp_TransactionStatus,vnp_OrderInfo\n"
            + "R,1,100,20260106094628,NCB,24,shopee:X\nR,\"2"
        var rows = try VNPaySettlementsAdapter().rows(
            Array(body.utf8), context: FeedContext(feedID: "f", receivedAt: .now, platform: "vnpay"))
        guard case .ignored = try #require(try rows.next()) else {
            Issue.record("the first row is not ignored")
            return
        }
        #expect(throws: FeedError.self) { try rows.next() }
    }
}
