import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TaxLinkCore
import Testing

@testable import TaxLinkServer

/// Every refusal is problem+json from the one mapping: wrong methods, control characters in parameters,
/// Hummingbird's own errors.
@Suite("Error answers")
struct ErrorAnswerTests {
    /// Checks that `response` is a problem document of `status` and returns it.
    @discardableResult
    static func problem(_ response: TestResponse, _ status: HTTPResponse.Status) throws -> JSONValue {
        #expect(response.status == status)
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try JSONParser.parse(Array(response.body.readableBytesView))
        #expect(problem["status"] == .number(String(status.code)))
        #expect(problem["detail"]?.stringValue?.isEmpty == false)
        return problem
    }

    @Test(
        "a known path with another method is 405 with Allow",
        arguments: [
            ("/v1/platforms/shopee/orders", HTTPRequest.Method.get, "POST"),
            ("/v1/gateways/vnpay/settlements", .put, "POST"),
            ("/v1/discrepancies", .post, "GET"),
            ("/v1/discrepancies/f-1", .get, "PATCH"),
            ("/v1/discrepancies/f-1", .delete, "PATCH"),
            ("/v1/schedules/tiki/2026-01", .post, "GET"),
            ("/v1/outbox", .delete, "GET"),
            ("/healthz", .post, "GET"),
            ("/metrics", .put, "GET"),
        ])
    func wrongMethod(path: String, method: HTTPRequest.Method, allow: String) async throws {
        try await RouteTests.withApp { client, _ in
            try await client.execute(uri: path, method: method, headers: RouteTests.headers("analyst-token")) {
                let problem = try Self.problem($0, .methodNotAllowed)
                #expect($0.headers[.allow] == allow)
                #expect(problem["detail"]?.stringValue?.contains(allow) == true)
            }
        }
    }

    @Test func everyMethodOfTheTableIsRouted() async throws {
        let samples = [
            "/v1/platforms/shopee/orders", "/v1/gateways/vnpay/settlements", "/v1/discrepancies",
            "/v1/discrepancies/f-1", "/v1/schedules/tiki/2026-01", "/v1/outbox", "/healthz", "/readyz", "/metrics",
            "/analyst", "/analyst/export.csv", "/analyst/schedule", "/analyst/findings/f-1",
            "/analyst/export.json", "/analyst/sign-in", "/analyst/sign-out", "/analyst/records/r-1",
            "/analyst/sellers/s-1", "/analyst/search",
        ]
        try await RouteTests.withApp { client, _ in
            for path in samples {
                let method = try #require(AllowedMethods.methods(for: path)?.first, "\(path)")
                try await client.execute(uri: path, method: method, headers: RouteTests.headers("analyst-token")) {
                    let body = String(buffer: $0.body)
                    #expect(!body.contains("no resource at"), "\(method) \(path) is not routed")
                    #expect($0.status != .methodNotAllowed, "\(method) \(path)")
                }
            }
        }
    }

    @Test func anUnknownPathIs404() async throws {
        try await RouteTests.withApp { client, _ in
            try await client.execute(uri: "/v2/nothing", method: .get) { _ = try Self.problem($0, .notFound) }
        }
    }

    @Test(
        "a control character in a query parameter is 400 naming it",
        arguments: [
            "/v1/discrepancies?platform=tiki%00evil", "/v1/discrepancies?seller=88%0A1",
            "/v1/discrepancies?code=TAX_ID_MISSING%1F", "/v1/schedules/tiki/2026-01?format=json%7F",
            "/v1/discrepancies?status=open%C2%85",
        ])
    func controlCharacterInAParameter(uri: String) async throws {
        let name = try #require(uri.split(separator: "?").last?.split(separator: "=").first.map(String.init))
        try await RouteTests.withApp { client, _ in
            try await client.execute(uri: uri, method: .get, headers: RouteTests.headers("analyst-token")) {
                let problem = try Self.problem($0, .badRequest)
                #expect(problem["detail"]?.stringValue?.hasPrefix("\(name): ") == true)
            }
        }
    }

    @Test(
        "report parameters outside the contract are 400 naming them",
        arguments: [
            ("/v1/discrepancies?platform=", "platform"), ("/v1/discrepancies?platform=Tiki", "platform"),
            ("/v1/discrepancies?period=0000-01", "period"), ("/v1/discrepancies?period=%2B202-01", "period"),
            ("/v1/discrepancies?limit=0", "limit"), ("/v1/discrepancies?offset=-1", "offset"),
            ("/v1/discrepancies?limit=%2B5", "limit"), ("/v1/discrepancies?sort=", "sort"),
            ("/v1/discrepancies?code=,", "code"), ("/v1/discrepancies?severity=", "severity"), ("/v1/discrepancies?status=open,,resolved", "status"),
            ("/v1/schedules/Tiki/2026-01", "platform"), ("/v1/schedules/ti%C2%84ki/2026-01", "platform"),
            ("/v1/schedules/tiki/2026-13", "period"), ("/v1/schedules/tiki/0000-01", "period"),
        ])
    func parameterOutsideTheContract(uri: String, name: String) async throws {
        try await RouteTests.withApp { client, _ in
            try await client.execute(uri: uri, method: .get, headers: RouteTests.headers("analyst-token")) {
                let problem = try Self.problem($0, .badRequest)
                #expect(problem["detail"]?.stringValue?.hasPrefix("\(name): ") == true, "\(uri)")
            }
        }
    }

    @Test(
        "a PATCH without a JSON media type is 415",
        arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"] as [String?])
    func patchMediaType(contentType: String?) async throws {
        try await RouteTests.withApp { client, _ in
            var headers: HTTPFields = [.authorization: "Bearer analyst-token"]
            if let contentType { headers[.contentType] = contentType }
            try await client.execute(
                uri: "/v1/discrepancies/f-1", method: .patch, headers: headers,
                body: ByteBuffer(string: #"{"status": "resolved", "note": "x"}"#)
            ) { _ = try Self.problem($0, .unsupportedMediaType) }
        }
    }

    @Test(
        "a malformed PATCH body is 400 problem+json",
        arguments: [
            "", "not json", "[1]", #"{"status": 1, "note": "x"}"#, #"{"status": "open", "note": 2}"#,
            #"{"status": "open", "note": "x", "colour": "red"}"#,
        ])
    func malformedPatch(body: String) async throws {
        try await RouteTests.withApp { client, _ in
            for contentType in ["application/json", "application/merge-patch+json; charset=utf-8"] {
                try await client.execute(
                    uri: "/v1/discrepancies/f-1", method: .patch,
                    headers: [.authorization: "Bearer analyst-token", .contentType: contentType],
                    body: ByteBuffer(string: body)
                ) { _ = try Self.problem($0, .badRequest) }
            }
        }
    }

    @Test func theMappingNamesNoInternalsForUnknownErrors() {
        struct Hidden: Error {}
        let problem = Problem(Hidden(), method: .get, path: "/v1/outbox")
        #expect(problem.status == .internalServerError)
        #expect(!problem.detail.contains("Hidden"))
    }

    @Test func aMalformedTokenEntryIsNamed() {
        let error = #expect(throws: ServerConfigurationError.self) { try TokenRegistry.parse("a analyst\nb admin") }
        #expect(error?.code == .malformedTokenEntry)
        #expect(error?.message.hasPrefix("token entry 2:") == true)
    }

    @Test func aBodyTimeoutIsA400() {
        let problem = Problem(RequestError.bodyTimeout(after: .seconds(30)), method: .post, path: "/v1/x")
        #expect(problem.status == .badRequest)
        #expect(problem.detail.contains("Content-Length"))
    }
}
