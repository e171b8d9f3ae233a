import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import Testing

/// The analyst page reads its queries and forms with Hummingbird's form decoder: a malformed one is a
/// 400 problem that says so, not a field silently dropped.
@Suite("Analyst page forms")
struct AnalystFormTests {
    @Test(
        "a malformed query is 400 naming it",
        arguments: [
            "/analyst?platform=%ZZ", "/analyst?platform=shopee&platform=tiki",
            "/analyst/export.csv?platform=%ZZ", "/analyst/export.csv?code=A&code=B",
        ])
    func malformedQuery(uri: String) async throws {
        try await RouteTests.withApp { client, _ in
            try await client.execute(uri: uri, method: .get, headers: RouteTests.headers("analyst-token")) { response in
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
                let detail = try JSONParser.parse(Array(response.body.readableBytesView))["detail"]?.stringValue
                #expect(detail?.hasPrefix("the query is not valid application/x-www-form-urlencoded") == true, "\(uri)")
            }
        }
    }

    @Test(
        "a malformed status form is 400 naming it",
        arguments: [
            "token=analyst-token&status=acknowledged&note=%ZZ", "token=analyst-token&status=acknowledged&status=resolved",
        ])
    func malformedForm(body: String) async throws {
        try await RouteTests.withApp { client, _ in
            try await client.execute(
                uri: "/analyst/findings/f-1", method: .post,
                headers: RouteTests.headers(nil, "application/x-www-form-urlencoded"), body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest, "\(body)")
                let detail = try JSONParser.parse(Array(response.body.readableBytesView))["detail"]?.stringValue
                #expect(detail?.hasPrefix("the form is not valid application/x-www-form-urlencoded") == true, "\(body)")
            }
        }
    }
}
