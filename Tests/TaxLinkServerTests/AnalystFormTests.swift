import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TestSupport
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
            let session = try await WorkbenchSignIn.session(client, token: "analyst-token")
            try await client.execute(uri: uri, method: .get, headers: WorkbenchSignIn.cookieHeader(session)) { response in
                #expect(response.status == .badRequest, "\(uri)")
                // The export answers problem+json, the page an error page (HTML); both say what is wrong.
                let body = String(buffer: response.body)
                #expect(body.contains("the query is not valid application/x-www-form-urlencoded"), "\(uri)")
            }
        }
    }

    @Test(
        "a malformed status form is 400 naming it",
        arguments: [
            "status=acknowledged&note=%ZZ", "status=acknowledged&status=resolved",
        ])
    func malformedForm(body: String) async throws {
        try await RouteTests.withApp { client, _ in
            let session = try await WorkbenchSignIn.session(client, token: "analyst-token")
            var headers = WorkbenchSignIn.cookieHeader(session)
            headers[.contentType] = "application/x-www-form-urlencoded"
            try await client.execute(
                uri: "/analyst/findings/f-1", method: .post, headers: headers, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest, "\(body)")
                let detail = try JSONParser.parse(Array(response.body.readableBytesView))["detail"]?.stringValue
                #expect(detail?.hasPrefix("the form is not valid application/x-www-form-urlencoded") == true, "\(body)")
            }
        }
    }
}
