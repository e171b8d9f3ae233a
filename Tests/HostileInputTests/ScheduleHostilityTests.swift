import AsyncHTTPClient
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import NIOHTTP1
import TaxLinkCore
import TestSupport
import Testing

/// Issue 7, "What was seen", the items of the schedule and the declarations: seller names with control
/// characters in the 01-1/BK XML (11), negative net revenue and a 1-đồng difference in a declaration (13),
/// each pushed at a live `taxlink serve`.
@Suite("Hostile schedules and declarations against a live server")
struct ScheduleHostilityTests {
    @Test(
        "11. a seller name with control characters leaves the 01-1/BK XML well-formed",
        arguments: [
            #"Tab\there"#, #"Bell\u0007X"#, #"Del\u007fX"#, #"C1\u0085X"#, #"Nonchar\uffffX"#, #"Esc\u001b[31mX"#,
            #"Amp & <b> \"q\" ]]>"#,
        ])
    func controlCharactersInTheScheduleXML(sellerName: String) async throws {
        try await withHostileServer(platforms: ["shopee"]) { server in
            let entry = FeedHostilityTests.order(sellerName: sellerName)
            let pushed = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", FeedHostilityTests.envelope([entry]))
            #expect(pushed.status == 202, "\(pushed.body)")
            let accepted = pushed.json?["accepted"] == .number("1")
            for token in ["h-analyst", "h-operator"] {
                let answer = try await server.request(.GET, "/v1/schedules/shopee/2026-01?format=xml", token: token)
                #expect(answer.status == 200, "\(answer.body)")
                let document = ElementCounter()
                let parser = XMLParser(data: Data(answer.body.utf8))
                parser.delegate = document
                #expect(parser.parse(), "\(sellerName): \(parser.parserError.map { "\($0)" } ?? "") in \(answer.body)")
                #expect(document.counts["BangKe"] == 1)
                #expect(document.counts["ChiTiet"] == (accepted ? 1 : nil), "\(sellerName)")
            }
        }
    }

    @Test("13. negative net revenue is a valid declaration, and a 1-đồng VAT difference is a mismatch")
    func negativeRevenueAndOneDongDifference() async throws {
        try await withHostileServer(platforms: ["shopee"]) { server in
            let sales = [FeedHostilityTests.order(sn: "H1", sellerID: "9"), FeedHostilityTests.order(sn: "H2", sellerID: "10")]
            let sold = try await server.push("/v1/platforms/shopee/orders", token: "h-shopee", FeedHostilityTests.envelope(sales))
            #expect(sold.json?["accepted"] == .number("2"), "\(sold.body)")
            // Each sale: revenue 100,000, VAT 1,000 and PIT 500 withheld. Seller 9 declares 1 đồng more VAT,
            // seller 10 declares exactly, seller 8 (refunds only) declares a negative net.
            let declaration = #"""
                {"tax_period": "2026-01", "rows": [
                  {"platform_seller_id": "9", "seller_name": "A", "tax_id": "0100233488", "category": "goods", "revenue": 100000, "vat": 1001, "pit": 500},
                  {"platform_seller_id": "10", "seller_name": "B", "tax_id": "0100233488", "category": "goods", "revenue": 100000, "vat": 1000, "pit": 500},
                  {"platform_seller_id": "8", "seller_name": "C", "tax_id": "0100233488", "category": "goods", "revenue": -5000, "vat": -50, "pit": -25}]}
                """#
            let declared = try await server.push("/v1/platforms/shopee/declarations", token: "h-shopee", declaration)
            #expect(declared.status == 202, "\(declared.body)")
            #expect(declared.json?["accepted"] == .number("3"), "\(declared.body)")
            #expect(declared.json?["rejected"]?.arrayValue?.isEmpty == true, "\(declared.body)")
        } afterwards: { stopped in
            let nine = try await Self.findings(stopped, seller: "9")
            #expect(nine.compactMap { $0["code"]?.stringValue } == ["DECLARATION_MISMATCH"])
            #expect(nine.first?["expected"]?["vat"] == .number("1000"))
            #expect(nine.first?["actual"]?["vat"] == .number("1001"))
            #expect(nine.first?["expected"]?["revenue"] == nine.first?["actual"]?["revenue"])
            #expect(nine.first?["expected"]?["pit"] == nine.first?["actual"]?["pit"])
            #expect(try await Self.findings(stopped, seller: "10").isEmpty)
            let eight = try await Self.findings(stopped, seller: "8")
            #expect(!eight.contains { $0["code"]?.stringValue == "DECLARATION_MISSING" })
        }
    }

    /// The declaration findings of `seller` in the stopped server's database, after its reconciliation.
    static func findings(_ server: HostileServer, seller: String) async throws -> [JSONValue] {
        let result = try await server.command([
            "report", "discrepancies", "--seller", seller, "--code", "DECLARATION_MISMATCH,DECLARATION_MISSING",
            "--format", "json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        return try JSONParser.parse(Array(result.standardOutput.utf8)).arrayValue ?? []
    }
}

/// Counts the elements of an XML document by name.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
    }
}
