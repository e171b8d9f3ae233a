import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkReconcile
import TaxLinkServer
import TaxLinkStore
import Testing

/// The application is given one store per capability (``Stores``) and uses each for its own routes,
/// without asking a store what else it is.
@Suite("Stores given to the application")
struct StoresRoutingTests {
    @Test func eachRouteUsesTheStoreOfItsCapability() async throws {
        try await withTemporaryStore { feeds in
            try await withTemporaryStore { findings in
                try await SampleFeedsTests.ingestSamples(into: findings)
                #expect(try await !findings.reconcile().isEmpty)
                let expected = try await findings.findings(FindingQuery()).total
                let recordsOfFindings = try await findings.statistics().records
                var configuration = ServerConfiguration()
                configuration.tokens = try TokenRegistry.parse("a-token analyst\nt-token platform:tiki")
                let stores = Stores(feeds: feeds, findings: findings, outbox: feeds, sessions: feeds, lookup: findings)
                let app = Application(router: buildRouter(configuration: configuration, stores: stores))
                try await app.test(.router) { client in
                    try await client.execute(
                        uri: "/v1/discrepancies",
                        method: .get,
                        headers: [.authorization: "Bearer a-token"]
                    ) {
                        #expect($0.status == .ok)
                        #expect($0.headers[HTTPField.Name("X-Total-Count")!] == String(expected))
                    }
                    try await client.execute(
                        uri: "/v1/platforms/tiki/orders",
                        method: .post,
                        headers: [.authorization: "Bearer t-token", .contentType: "text/csv"],
                        body: ByteBuffer(string: Order.csv([Order("W1")]))
                    ) { #expect($0.status == .accepted) }
                }
                #expect(try await feeds.statistics().records == 1)
                #expect(try await feeds.findings(FindingQuery()).total == 0)
                #expect(try await findings.statistics().records == recordsOfFindings)
            }
        }
    }
}
