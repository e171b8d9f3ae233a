import AsyncHTTPClient
import Foundation
import NIOHTTP1
import NIOCore
import TaxLinkCore
import TestSupport
import Testing

/// Issue 7, "What was seen", the items a platform's push causes: each pushed at a live `taxlink serve`,
/// which must answer, stay alive, and restart on the resulting database.
@Suite("Hostile feeds against a live server")
struct FeedHostilityTests {
    static let maximum = "9223372036854775807"

    /// A Shopee order entry; `income` is the members of `escrow.order_income`.
    static func order(
        sn: String = "H1", status: String = "COMPLETED", sellerID: String = "9", sellerName: String = "Hộ kinh doanh A",
        itemName: String = "Áo",
        price: String = "100000", total: String = "100000",
        income: String = #""withholding_vat_tax": 1000, "withholding_pit_tax": 500"#
    ) -> String {
        #"{"order": {"order_sn": "\#(sn)", "order_status": "\#(status)", "update_time": 1768000000, "total_amount": \#(total), "cod": false, "item_list": [{"item_id": 1, "item_name": "\#(itemName)", "model_sku": "S1", "model_quantity_purchased": 1, "model_original_price": \#(price)}]}, "escrow": {"order_income": {\#(income)}}, "seller": {"platform_seller_id": "\#(sellerID)", "name": "\#(sellerName)", "tax_id": "0100233488", "type": "household", "category": "goods"}}"#
    }

    static func envelope(_ orders: [String]) -> String { #"{"orders": ["# + orders.joined(separator: ",") + "]}" }

    /// Expects a 202 that stored nothing and rejected every item.
    static func expectAllRejected(_ answer: HostileServer.Answer, _ count: Int = 1, _ comment: Comment? = nil) {
        #expect(answer.status == 202, comment)
        #expect(answer.json?["accepted"] == .number("0"), comment)
        #expect(answer.json?["rejected"]?.arrayValue?.count == count, comment)
    }

    @Test(
        "1. Int64 overflow in a money field is a rejected item, not an abort",
        arguments: [
            ("VAT at 2^63-1 plus PIT", order(income: #""withholding_vat_tax": \#(maximum), "withholding_pit_tax": 1"#)),
            ("buyer_paid_shipping_fee", order(income: #""buyer_paid_shipping_fee": \#(maximum)"#)),
            ("coins", order(income: #""coins": \#(maximum)"#)),
            ("total_amount", order(total: maximum)),
            ("item price", order(price: maximum)),
        ])
    func int64Overflow(field: String, entry: String) async throws {
        try await withHostileServer { server in
            let answer = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", Self.envelope([entry]))
            Self.expectAllRejected(answer, 1, "\(field)")
            try await server.expectAlive("\(field)")
        }
    }

    @Test func twoGenericCSVLinesAtTheCeiling() async throws {
        try await withHostileServer { server in
            let header =
                "order_id,kind,original_order_id,completed_at,seller_id,shop_name,seller_name,seller_tax_id,seller_type,non_resident,sku,item_name,category,quantity,line_amount,seller_discount,platform_discount,shipping_fee,buyer_paid,platform_fees,vat_withheld,pit_withheld,cod"
            let line = { (id: String) in
                "\(id),sale,,2026-01-11T19:24:03+07:00,30028,Shop,Seller,0100233488,household,false,S,x,goods,1,\(Self.maximum),0,0,0,\(Self.maximum),0,0,0,false"
            }
            let answer = try await server.push(
                "/v1/platforms/tiki/orders", token: "h-tiki", [header, line("1"), line("2")].joined(separator: "\n"),
                contentType: "text/csv")
            Self.expectAllRejected(answer, 2)
        }
    }

    @Test func twoSalesOfOneSellerAt6e18AndAPoisonedDeclarationThenRestartAndReconcile() async throws {
        try await withHostileServer { server in
            let sales = ["S1", "S2"].map { Self.order(sn: $0, price: "6000000000000000000", total: "6000000000000000000") }
            let answer = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", Self.envelope(sales))
            #expect(answer.status == 202)
            try await server.expectAlive("after the seller's sums")
            let declaration = #"""
                {"tax_period": "2026-01", "rows": [{"platform_seller_id": "9", "seller_name": "A", "tax_id": "0100233488",
                  "category": "goods", "revenue": 100000, "vat": \#(Self.maximum), "pit": 1}]}
                """#
            let declared = try await server.push("/v1/platforms/shopee/declarations", token: "h-shopee", declaration)
            #expect(declared.status == 202 || declared.status == 400)
        }
    }

    @Test("3. the analyst page at offset 2^63-1")
    func analystPageAtTheLargestOffset() async throws {
        try await withHostileServer { server in
            for path in ["/analyst?offset=\(Self.maximum)", "/analyst?offset=\(Self.maximum)&limit=\(Self.maximum)",
                "/v1/discrepancies?offset=\(Self.maximum)&limit=\(Self.maximum)"]
            {
                let answer = try await server.request(.GET, path, token: "h-analyst")
                #expect(answer.status < 500, "\(path)")
                try await server.expectAlive(Comment(rawValue: path))
            }
        }
    }

    @Test("4. a body of many bad items gets a bounded answer")
    func manyBadItems() async throws {
        try await withHostileServer { server in
            let items = 300_000
            let body = #"{"orders": ["# + Array(repeating: "1", count: items).joined(separator: ",") + "]}"
            let answer = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", body)
            #expect(answer.status == 202)
            #expect(answer.body.utf8.count < 512 * 1024, "the answer has \(answer.body.utf8.count) bytes")
            #expect((answer.json?["rejected"]?.arrayValue?.count ?? .max) <= 1_000)
            #expect(answer.json?["rejected_total"] == .number(String(items)))
        }
    }

    @Test("5. a push refused with 413 after part of its NDJSON leaves nothing, and is stored whole when sent again")
    func refusedAfterPartialNDJSON() async throws {
        // A long body timeout: the streamed body may pause on a loaded machine, and timeouts are not
        // what this test is about (the last --body-timeout given wins).
        try await withHostileServer(extra: ["--max-body-bytes", "65536", "--body-timeout", "60"]) { server in
            let lines = (0..<400).map { Self.order(sn: "N\($0)") }
            let body = lines.joined(separator: "\n")
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/v1/platforms/shopee/orders")
            request.method = .POST
            request.headers.add(name: "Connection", value: "close")
            request.headers.add(name: "Authorization", value: "Bearer h-shopee")
            request.headers.add(name: "Content-Type", value: "application/x-ndjson")
            let chunks = stride(from: 0, to: body.utf8.count, by: 8192).map { start in
                ByteBuffer(bytes: Array(body.utf8)[start..<min(start + 8192, body.utf8.count)])
            }
            let stream = AsyncStream<ByteBuffer> { continuation in
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
            request.body = .stream(stream, length: .unknown)
            let status = try await HTTPClient.shared.execute(request, timeout: .seconds(60)).status.code
            #expect(status == 413)
            #expect(try await server.storedRecords() == 0)
            let small = lines.prefix(100).joined(separator: "\n")
            let again = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", small, contentType: "application/x-ndjson")
            #expect(again.json?["accepted"] == .number("100"))
            #expect(again.json?["duplicates"] == .number("0"))
        }
    }

    @Test("5. a body cut off by its client leaves nothing, and is stored whole when sent again")
    func cutOffBody() async throws {
        try await withHostileServer { server in
            let body = (0..<100).map { Self.order(sn: "C\($0)") }.joined(separator: "\n")
            let half = String(body.prefix(body.count / 2))
            let head =
                "POST /v1/platforms/shopee/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer h-shopee\r\n"
                + "Content-Type: application/x-ndjson\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            try await RawConnection.open(port: server.port).sendAndHangUp(head + half)
            let again = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", body, contentType: "application/x-ndjson")
            #expect(again.json?["accepted"] == .number("100"))
            #expect(again.json?["duplicates"] == .number("0"))
        }
    }

    @Test(
        "12. control characters, NUL and 10 MB names make the item invalid",
        arguments: [
            ("newline in order_sn", order(sn: #"A\nB"#)),
            ("NUL in order_sn", order(sn: #"A\u0000B"#)),
            ("NUL in the seller id", order(sellerID: #"9\u0000"#)),
            ("10 MB item name", order(itemName: String(repeating: "x", count: 10 << 20))),
        ])
    func controlCharactersAndHugeNames(name: String, entry: String) async throws {
        try await withHostileServer { server in
            let answer = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", Self.envelope([entry]))
            Self.expectAllRejected(answer, 1, "\(name)")
            #expect(try await server.storedRecords() == 0, "\(name)")
        }
    }

    @Test("12. duplicate JSON keys make the item invalid")
    func duplicateKeys() async throws {
        try await withHostileServer { server in
            let entry = Self.order(status: #"CANCELLED", "order_status": "COMPLETED"#)
            let answer = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", Self.envelope([entry]))
            Self.expectAllRejected(answer)
            #expect(try await server.storedRecords() == 0)
        }
    }
}
