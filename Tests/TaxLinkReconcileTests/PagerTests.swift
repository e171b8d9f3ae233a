import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TaxLinkReconcile
import TestSupport
import Testing

/// The analyst page's pager takes `offset` and `limit` from the URL: the largest integers must give a
/// page, not an overflow (before, `/analyst?offset=9223372036854775807` stopped the server).
@Suite("Analyst pager at the edges of Int")
struct PagerTests {
    @Test(
        "extreme offsets and limits answer a page",
        arguments: [
            "offset=9223372036854775807&limit=1", "offset=9223372036854775807", "offset=9223372036854775806&limit=2",
            "limit=9223372036854775807&offset=9223372036854775807", "offset=1&limit=9223372036854775807",
        ]
    )
    func extremePaging(query: String) async throws {
        try await RouteTests.withReconciledStore { store in
            try await RouteTests.application(store).test(.router) { client in
                let session = try await WorkbenchSignIn.session(client, token: "a-token")
                try await client.execute(
                    uri: "/analyst?\(query)", method: .get, headers: WorkbenchSignIn.cookieHeader(session)
                ) { response in
                    #expect(response.status == .ok)
                    let html = String(buffer: response.body)
                    #expect(!html.contains("id=\"page-next\""))
                }
            }
        }
    }

    @Test func thePagerStillLinksTheNextPage() async throws {
        try await RouteTests.withReconciledStore { store in
            try await RouteTests.application(store).test(.router) { client in
                let session = try await WorkbenchSignIn.session(client, token: "a-token")
                try await client.execute(
                    uri: "/analyst?limit=1&offset=1", method: .get, headers: WorkbenchSignIn.cookieHeader(session)
                ) { response in
                    let html = String(buffer: response.body)
                    #expect(html.contains("offset=2"))
                    #expect(html.contains("id=\"page-previous\""))
                }
            }
        }
    }
}
