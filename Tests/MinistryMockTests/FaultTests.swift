import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TaxLinkCore
import TaxLinkSigning
import Testing

@testable import MinistryMock

@Suite struct FaultTests {
    typealias F = MinistryFixture

    @Test func specsParse() throws {
        let plan = try FaultPlan(spec: "503=0.2,429=0.1,drop-before=0.05,drop-after=0.05,slow=0.05")
        #expect(plan.entries.map(\.kind) == [.status(503), .status(429), .dropBefore, .dropAfter, .slow])
        #expect(plan.fault(for: 0.1) == .status(503))
        #expect(plan.fault(for: 0.25) == .status(429))
        #expect(plan.fault(for: 0.32) == .dropBefore)
        #expect(plan.fault(for: 0.42) == .slow)
        #expect(plan.fault(for: 0.5) == nil)
        #expect(try FaultPlan(spec: "").entries.isEmpty)
        for bad in ["503", "teapot=0.1", "503=1.5", "503=0.6,429=0.6", "503=0.1,503=0.1", "200=0.1"] {
            #expect(throws: FaultPlanError.self, "\(bad)") { try FaultPlan(spec: bad) }
        }
    }

    @Test func theSameSeedGivesTheSameFaults() async throws {
        let plan = try FaultPlan(spec: "503=0.3,429=0.2,slow=0.1")
        func sequence(_ seed: UInt64) async -> [String] {
            let injector = FaultInjector(plan: plan, seed: seed)
            var kinds: [String] = []
            for _ in 0..<200 { kinds.append(await injector.draw().fault.map { "\($0)" } ?? "-") }
            return kinds
        }
        let first = await sequence(42)
        #expect(await sequence(42) == first)
        #expect(await sequence(43) != first)
        let share = Double(first.filter { $0 == "503" }.count) / Double(first.count)
        #expect(share > 0.15 && share < 0.45)

        // Over HTTP: the same seed gives the same answers.
        let httpPlan = try FaultPlan(spec: "503=0.3,429=0.2")
        func statuses() async throws -> [Int] {
            let app = try await F {
                $0.faults = httpPlan
                $0.seed = 7
            }.app()
            return try await app.test(.live) { client in
                var statuses: [Int] = []
                for _ in 0..<20 {
                    let response = try await client.execute(uri: "/v1/batches/none", method: .get)
                    statuses.append(response.status.code)
                }
                return statuses
            }
        }
        let run = try await statuses()
        #expect(try await statuses() == run)
        #expect(Set(run).isSubset(of: [404, 429, 503]))
        #expect(run.contains(503) || run.contains(429))
    }

    @Test func statusFaultsCarryRetryAfter() async throws {
        var plan = try FaultPlan(spec: "429=1")
        plan.retryAfterSeconds = 3
        let app = try await F { $0.faults = plan }.app()
        try await app.test(.live) { client in
            let body = F.batch("B-1", records: [F.record("A1")])
            let response = try await F.post(client, body, batchID: "B-1")
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[.retryAfter] == "3")
            #expect(response.headers[.contentType] == "application/problem+json")
            let update = try await client.execute(
                uri: "/_faults",
                method: .post,
                body: ByteBuffer(string: #"{"retry_after_http_date":true}"#)
            )
            #expect(update.status == .ok)
            let dated = try await F.post(client, body, batchID: "B-1")
            let header = try #require(dated.headers[.retryAfter])
            #expect(header.hasSuffix(" GMT") && header.count == 29, "\(header)")
            // Switch faults off: the batch was never processed.
            _ = try await client.execute(uri: "/_faults", method: .post, body: ByteBuffer(string: #"{"faults":""}"#))
            #expect(try await F.post(client, body, batchID: "B-1").status == .created)
            let stats = try await client.execute(uri: "/_stats", method: .get).json
            #expect(stats?["faults"]?["429"] == .int(2))
            #expect(stats?["requests"] == .int(3))
        }
    }

    @Test func httpDatesAreIMFFixdates() {
        #expect(httpDate(Timestamp(unixSeconds: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(httpDate(Timestamp(unixSeconds: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    /// Sends one request on a connection of its own.
    func send(port: Int, _ request: TestClient.Request) async throws -> TestClient.Response {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(10))) {
            try await $0.execute(request)
        }
    }

    func batchRequest(_ body: [UInt8], batchID: String) throws -> TestClient.Request {
        TestClient.Request(
            "/v1/batches",
            method: .post,
            authority: "localhost",
            headers: try F.headers(for: body, batchID: batchID),
            body: ByteBuffer(bytes: body)
        )
    }

    @Test func aConnectionDroppedBeforeProcessingChangesNothing() async throws {
        let plan = try FaultPlan(spec: "drop-before=1")
        let app = try await F { $0.faults = plan }.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let body = F.batch("B-1", records: [F.record("A1")])
            await #expect(throws: (any Error).self) { try await send(port: port, batchRequest(body, batchID: "B-1")) }
            let off = TestClient.Request(
                "/_faults",
                method: .post,
                authority: "localhost",
                body: ByteBuffer(string: #"{"faults":""}"#)
            )
            #expect(try await send(port: port, off).status == .ok)
            let poll = TestClient.Request("/v1/batches/B-1", method: .get, authority: "localhost")
            #expect(try await send(port: port, poll).status == .notFound)
            #expect(try await send(port: port, batchRequest(body, batchID: "B-1")).status == .created)
        }
    }

    @Test func aConnectionDroppedAfterProcessingKeepsTheBatch() async throws {
        let plan = try FaultPlan(spec: "drop-after=1")
        let app = try await F { $0.faults = plan }.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let body = F.batch("B-1", records: [F.record("A1")])
            await #expect(throws: (any Error).self) { try await send(port: port, batchRequest(body, batchID: "B-1")) }
            let off = TestClient.Request(
                "/_faults",
                method: .post,
                authority: "localhost",
                body: ByteBuffer(string: #"{"faults":""}"#)
            )
            #expect(try await send(port: port, off).status == .ok)
            // The retry of the same bytes gets the receipt made when the connection dropped.
            let retry = try await send(port: port, batchRequest(body, batchID: "B-1"))
            #expect(retry.status == .ok)
            let receipt = try JSONParser.parse(Array(retry.body?.readableBytesView ?? ByteBuffer().readableBytesView))
            #expect(receipt["accepted"] == .int(1))
            let stats = try await send(port: port, .init("/_stats", method: .get, authority: "localhost"))
            let counters = try JSONParser.parse(Array(stats.body?.readableBytesView ?? ByteBuffer().readableBytesView))
            #expect(counters["faults"]?["drop-after"] == .int(1))
            #expect(counters["replays"] == .int(1))
        }
    }

    @Test func aSlowFaultWaitsThenAnswers() async throws {
        var plan = try FaultPlan(spec: "slow=1")
        plan.slowDelay = .milliseconds(300)
        let app = try await F { $0.faults = plan }.app()
        try await app.test(.live) { client in
            let start = ContinuousClock.now
            let response = try await F.post(client, F.batch("B-1", records: [F.record("A1")]), batchID: "B-1")
            #expect(response.status == .created)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
        }
    }
}
