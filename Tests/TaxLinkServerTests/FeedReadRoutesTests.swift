import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkServer
import TaxLinkStore
import Testing

/// `GET /v1/feeds/{id}` and `GET /v1/feeds/{id}/rejections`, and the bounded push answer.
@Suite("Feed summaries and rejections over HTTP")
struct FeedReadRoutesTests {
    /// One good order and 1,200 bad items: more rejections than an answer names.
    static let body: String = {
        let good = try? JSONParser.parse(Array(RouteTests.shopeeOrder.utf8))["orders"]?.arrayValue?.first
        let bad = Array(repeating: "1", count: 1_200).joined(separator: ",")
        return #"{"orders": [\#(good.map(CanonicalJSON.string) ?? "{}"),\#(bad)]}"#
    }()

    /// Pushes ``body`` as Shopee and returns the answer.
    static func push(_ client: any TestClientProtocol) async throws -> JSONValue {
        try await client.execute(
            uri: "/v1/platforms/shopee/orders",
            method: .post,
            headers: RouteTests.headers("shopee-token"),
            body: ByteBuffer(string: body)
        ) { response in
            #expect(response.status == .accepted)
            return try JSONParser.parse(Array(response.body.readableBytesView))
        }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String, token: String? = "analyst-token") async throws
        -> (status: Int, body: JSONValue?)
    {
        try await client.execute(uri: uri, method: .get, headers: RouteTests.headers(token)) { response in
            (Int(response.status.code), try? JSONParser.parse(Array(response.body.readableBytesView)))
        }
    }

    @Test func theAnswerNamesTheFirstThousandAndTheTotals() async throws {
        try await RouteTests.withApp { client, _ in
            let answer = try await Self.push(client)
            #expect(answer["accepted"] == JSONValue.int(1))
            #expect(answer["rejected"]?.arrayValue?.count == 1_000)
            #expect(answer["rejected_total"] == JSONValue.int(1_200))
            #expect(answer["rejected_truncated"] == JSONValue.bool(true))
            let id = try #require(answer["feed_id"]?.stringValue)
            let feed = try await Self.get(client, "/v1/feeds/\(id)", token: "shopee-token")
            #expect(feed.status == 200)
            #expect(feed.body?["status"] == JSONValue.string("complete"))
            #expect(feed.body?["rejected"] == answer["rejected"])
            let page = try await Self.get(client, "/v1/feeds/\(id)/rejections?limit=500&offset=1000")
            #expect(page.status == 200 && page.body?["total"] == JSONValue.int(1_200))
            let indices = page.body?["rejected"]?.arrayValue?.compactMap { $0["index"] }
            #expect(indices == (1_001...1_200).map { JSONValue.int($0) })
            let all = try await Self.get(client, "/v1/feeds/\(id)/rejections")
            #expect(all.body?["rejected"]?.arrayValue?.count == 1_000)
        }
    }

    @Test(
        "who may read a feed",
        arguments: [
            ("shopee-token", 200), ("analyst-token", 200), ("operator-token", 200), ("lazada-token", 404),
            ("vnpay-token", 404), ("nobody", 401),
        ] as [(String, Int)]
    )
    func readers(token: String, status: Int) async throws {
        try await RouteTests.withApp { client, _ in
            let id = try #require(try await Self.push(client)["feed_id"]?.stringValue)
            for path in ["/v1/feeds/\(id)", "/v1/feeds/\(id)/rejections"] {
                let answer = try await Self.get(client, path, token: token)
                #expect(answer.status == status, "\(path)")
                if status != 200 { #expect(answer.body?["status"] == JSONValue.int(status)) }
            }
        }
    }

    @Test("a feed the caller may not read is answered as an unknown one", arguments: ["lazada-token", "vnpay-token"])
    func hiddenFeedsLookUnknown(token: String) async throws {
        try await RouteTests.withApp { client, _ in
            let id = try #require(try await Self.push(client)["feed_id"]?.stringValue)
            let unknown = "f-999999"
            #expect(id != unknown)
            for suffix in ["", "/rejections"] {
                let hidden = try await Self.get(client, "/v1/feeds/\(id)\(suffix)", token: token)
                let missing = try await Self.get(client, "/v1/feeds/\(unknown)\(suffix)", token: token)
                #expect(hidden.status == 404 && missing.status == 404)
                let detail = hidden.body?["detail"]?.stringValue?.replacingOccurrences(of: id, with: unknown)
                #expect(detail == missing.body?["detail"]?.stringValue)
                #expect(hidden.body?["title"] == missing.body?["title"])
            }
        }
    }

    @Test(
        "unknown feeds and bad pages are refused with problem+json",
        arguments: [
            ("/v1/feeds/f-999999", 404), ("/v1/feeds/f-999999/rejections", 404),
            ("/v1/feeds/f-000001/rejections?limit=0", 400), ("/v1/feeds/f-000001/rejections?limit=1001", 400),
            ("/v1/feeds/f-000001/rejections?offset=-1", 400), ("/v1/feeds/f-000001/rejections?limit=x", 400),
            ("/v1/feeds/f-000001/rejections?offset=99999999999999999999", 400),
            ("/v1/feeds/f-000001/rejections?offset=9223372036854775807", 200),
        ] as [(String, Int)]
    )
    func refused(path: String, status: Int) async throws {
        try await RouteTests.withApp { client, _ in
            _ = try await Self.push(client)
            try await client.execute(uri: path, method: .get, headers: RouteTests.headers("operator-token")) {
                response in
                #expect(Int(response.status.code) == status)
                if status != 200 { #expect(response.headers[.contentType] == "application/problem+json") }
            }
        }
    }
}
