import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TaxLinkCore
import TaxLinkStore
import TestSupport
import Testing

/// `taxlink serve` as a real process, killed with SIGKILL right after it acknowledged a feed.
@Suite("Durability", .serialized)
struct DurabilityTests {
    static func order(_ index: Int) -> String {
        #"{"order": {"order_sn": "K\#(index)", "order_status": "COMPLETED", "update_time": 1768000000, "total_amount": 100000, "item_list": [{"item_id": 1, "item_name": "x", "model_sku": "S", "model_quantity_purchased": 1, "model_original_price": 100000}]}, "escrow": {"order_income": {"withholding_vat_tax": 1000, "withholding_pit_tax": 500}}, "seller": {"platform_seller_id": "9", "tax_id": "0100233488", "type": "household", "category": "goods"}}"#
    }

    /// Runs the real binary (found beside this test bundle or built); never skipped.
    @Test func everyAcknowledgedItemSurvivesSIGKILL() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("taxlink.sqlite").path
        var acknowledged = 0
        for round in 0..<3 {
            let (server, port) = try await RunningTaxLink.serve(
                ["--database", "sqlite:\(database)"],
                environment: ["TAXLINK_TOKENS": "t1 platform:shopee", "LOG_LEVEL": "error"]
            )
            let body = (0..<500).map { Self.order(round * 500 + $0) }.joined(separator: "\n")
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/platforms/shopee/orders")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer t1")
            request.headers.add(name: "Content-Type", value: "application/x-ndjson")
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 202)
            let summary = try JSONParser.parse(Array(try await response.body.collect(upTo: 1 << 20).readableBytesView))
            acknowledged +=
                Int(summary["accepted"].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? "0") ?? 0
            server.send(SIGKILL)
            _ = await server.finished()
        }
        #expect(acknowledged == 1500)
        let store = try SQLiteStore(path: database)
        #expect(try await store.statistics().records == acknowledged)
    }
}
