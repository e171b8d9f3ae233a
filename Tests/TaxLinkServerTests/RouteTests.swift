import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkServer
import TaxLinkStore
import Testing

/// Routes tested in process against a real SQLite file.
@Suite("HTTP API")
struct RouteTests {
    static let tokens = """
        shopee-token platform:shopee
        lazada-token platform:lazada
        tiki-token platform:tiki
        vnpay-token gateway:vnpay
        analyst-token analyst
        operator-token operator
        """

    static func withApp(
        maximumBodyBytes: Int = 64 * 1024 * 1024, _ body: @escaping @Sendable (any TestClientProtocol, SQLiteStore) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taxlink-routes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("db.sqlite").path)
        var configuration = ServerConfiguration()
        configuration.tokens = try TokenRegistry.parse(tokens)
        configuration.maximumBodyBytes = maximumBodyBytes
        let app = Application(router: buildRouter(configuration: configuration, stores: Stores(store)))
        try await app.test(.router) { client in try await body(client, store) }
    }

    static let shopeeOrder = #"""
        {"orders": [{"order": {"order_sn": "A1", "order_status": "COMPLETED", "update_time": 1768000000,
          "total_amount": "100000", "cod": false,
          "item_list": [{"item_id": 1, "item_name": "Áo", "model_sku": "S1", "model_quantity_purchased": 1,
                         "model_original_price": 100000}]},
          "escrow": {"order_income": {"withholding_vat_tax": 1000, "withholding_pit_tax": 500}},
          "seller": {"platform_seller_id": "9", "name": "Hộ kinh doanh A", "tax_id": "0100233488",
                     "type": "household", "category": "goods"}}]}
        """#

    static func headers(_ token: String?, _ contentType: String = "application/json") -> HTTPFields {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        fields[.contentType] = contentType
        return fields
    }

    @Test func aPushIsStoredBeforeTheAnswer() async throws {
        try await Self.withApp { client, store in
            try await client.execute(
                uri: "/v1/platforms/shopee/orders", method: .post, headers: Self.headers("shopee-token"),
                body: ByteBuffer(string: Self.shopeeOrder)
            ) { response in
                #expect(response.status == .accepted)
                let summary = try JSONParser.parse(Array(response.body.readableBytesView))
                #expect(summary["accepted"] == .number("1"))
                #expect(summary["rejected"] == .array([]))
            }
            #expect(try await store.statistics().records == 1)
        }
    }

    @Test(
        "every role against every route",
        arguments: [
            // (path, token, expected status)
            ("/v1/platforms/shopee/orders", nil, 401),
            ("/v1/platforms/shopee/orders", "nobody", 401),
            ("/v1/platforms/shopee/orders", "lazada-token", 403),
            ("/v1/platforms/shopee/orders", "analyst-token", 403),
            ("/v1/platforms/shopee/orders", "operator-token", 403),
            ("/v1/platforms/shopee/orders", "vnpay-token", 403),
            ("/v1/platforms/shopee/returns", "tiki-token", 403),
            ("/v1/platforms/shopee/declarations", "lazada-token", 403),
            ("/v1/gateways/vnpay/settlements", "shopee-token", 403),
            ("/v1/gateways/vnpay/settlements", "analyst-token", 403),
            ("/v1/gateways/vnpay/settlements", nil, 401),
            ("/v1/platforms/shopee/orders", "shopee-token", 202),
        ] as [(String, String?, Int)])
    func authorisation(path: String, token: String?, status: Int) async throws {
        try await Self.withApp { client, _ in
            try await client.execute(
                uri: path, method: .post, headers: Self.headers(token), body: ByteBuffer(string: Self.shopeeOrder)
            ) { response in
                #expect(response.status.code == status)
                if status >= 400 {
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let problem = try JSONParser.parse(Array(response.body.readableBytesView))
                    #expect(problem["status"] == .number(String(status)))
                    #expect(problem["detail"]?.stringValue?.isEmpty == false)
                }
            }
        }
    }

    @Test(
        "bad input gets a clear error, never a 500",
        arguments: [
            ("{\"orders\": [", "application/json", 400),
            ("", "application/json", 400),
            ("[1, 2]", "application/json", 400),
            ("{\"orders\": {}}", "application/json", 400),
            ("order_id\n1", "text/csv", 400),
            ("hello", "text/plain", 415),
            ("{\"orders\": [\"\u{FFFD}\"]}", "application/x-www-form-urlencoded", 415),
        ])
    func malformed(body: String, contentType: String, status: Int) async throws {
        try await Self.withApp { client, store in
            try await client.execute(
                uri: "/v1/platforms/shopee/orders", method: .post, headers: Self.headers("shopee-token", contentType),
                body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status.code == status)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            #expect(try await store.statistics().records == 0)
        }
    }

    @Test func invalidUTF8IsRefused() async throws {
        try await Self.withApp { client, _ in
            var bytes = Array(#"{"orders": [{"order": {"order_sn": ""#.utf8)
            bytes += [0xC3, 0x28]
            bytes += Array(#""}}]}"#.utf8)
            try await client.execute(
                uri: "/v1/platforms/shopee/orders", method: .post, headers: Self.headers("shopee-token"),
                body: ByteBuffer(bytes: bytes)
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await Self.withApp(maximumBodyBytes: 1024) { client, store in
            let big = #"{"orders": ["# + String(repeating: " ", count: 4096) + "]}"
            try await client.execute(
                uri: "/v1/platforms/shopee/orders", method: .post, headers: Self.headers("shopee-token"),
                body: ByteBuffer(string: big)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            #expect(try await store.statistics().feeds == 0)
        }
    }

    @Test func unknownSourcesAndPathsAre404() async throws {
        try await Self.withApp { client, _ in
            for path in ["/v1/platforms/shopee/refunds", "/v1/nothing", "/v1/gateways/momo/settlements"] {
                try await client.execute(
                    uri: path, method: .post, headers: Self.headers("shopee-token"), body: ByteBuffer(string: "{}")
                ) { response in
                    #expect(response.status == .notFound || response.status == .forbidden, "\(path)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
            }
        }
    }

    @Test func oneBadItemDoesNotSinkTheFeed() async throws {
        try await Self.withApp { client, store in
            let ndjson = """
                {"order": {"order_sn": "B1", "order_status": "COMPLETED", "update_time": 1768000000, "total_amount": "150000.5", "item_list": []}, "escrow": {"order_income": {}}, "seller": {"platform_seller_id": "9", "tax_id": "0100233488", "type": "household"}}
                not json
                \(try Self.firstOrderLine())
                """
            try await client.execute(
                uri: "/v1/platforms/shopee/orders", method: .post, headers: Self.headers("shopee-token", "application/x-ndjson"),
                body: ByteBuffer(string: ndjson)
            ) { response in
                #expect(response.status == .accepted)
                let summary = try JSONParser.parse(Array(response.body.readableBytesView))
                #expect(summary["accepted"] == .number("1"))
                let rejected = summary["rejected"]?.arrayValue ?? []
                #expect(rejected.map { $0["line"] } == [.number("1"), .number("2")])
                #expect(rejected[0]["external_id"] == .string("B1"))
            }
            #expect(try await store.statistics().records == 1)
        }
    }

    static func firstOrderLine() throws -> String {
        let envelope = try JSONParser.parse(Array(shopeeOrder.utf8))
        return CanonicalJSON.string(envelope["orders"]!.arrayValue![0])
    }

    @Test func healthReadinessAndMetrics() async throws {
        try await Self.withApp { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
