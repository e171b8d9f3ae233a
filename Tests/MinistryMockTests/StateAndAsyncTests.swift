import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TaxLinkCore
import TaxLinkSigning
import Testing

@testable import MinistryMock

@Suite struct StateAndAsyncTests {
    typealias F = MinistryFixture

    @Test func asyncModeAnswers202ThenTheReceipt() async throws {
        let app = try await F {
            $0.asyncMode = true
            $0.asyncProcessing = .init(pollsBeforeReady: 2)
        }.app()
        try await app.test(.live) { client in
            let body = F.batch("B-async", records: [F.record("X1")])
            let accepted = try await F.post(client, body, batchID: "B-async")
            #expect(accepted.status == .accepted)
            #expect(accepted.headers[.location] == "/v1/batches/B-async")
            #expect(accepted.json == .object(["batch_id": "B-async", "status": "processing"]))
            // A re-send while processing is answered 202 again.
            #expect(try await F.post(client, body, batchID: "B-async").status == .accepted)
            for _ in 0..<2 {
                let poll = try await client.execute(uri: "/v1/batches/B-async", method: .get)
                #expect(poll.status == .accepted)
                #expect(poll.json?["status"] == "processing")
            }
            let done = try await client.execute(uri: "/v1/batches/B-async", method: .get)
            #expect(done.status == .ok)
            let jws = try #require(done.headers[F.jwsSignature])
            _ = try await DetachedJWS.verify(jws, payload: done.bytes, trustAnchors: [F.pki.caCertificate])
            #expect(done.json?["body_sha256"]?.stringValue == ContentDigest.sha256Hex(body))
            let replay = try await F.post(client, body, batchID: "B-async")
            #expect(replay.status == .ok)
            #expect(replay.bytes == done.bytes)
            #expect(try await client.execute(uri: "/v1/batches/unknown", method: .get).status == .notFound)
        }
    }

    @Test func asyncModeCanFinishAfterADelay() async throws {
        // A clock the test moves, so the outcome never depends on how fast the machine is.
        let clock = ManualClock()
        let app = try await F {
            $0.asyncMode = true
            $0.asyncProcessing = .init(pollsBeforeReady: nil, delay: .seconds(60))
            $0.clock = { clock.now }
        }.app()
        try await app.test(.live) { client async throws in
            #expect(
                try await F.post(client, F.batch("B-d", records: [F.record("Y1")]), batchID: "B-d").status == .accepted
            )
            #expect(try await client.execute(uri: "/v1/batches/B-d", method: .get).status == .accepted)
            clock.advance(by: 61)
            #expect(try await client.execute(uri: "/v1/batches/B-d", method: .get).status == .ok)
        }
    }

    @Test func stateSurvivesARestart() async throws {
        let fixture = F()
        let body = F.batch("B-1", records: [F.record("P1")])
        let original = try await fixture.app().test(.live) { client in
            let response = try await F.post(client, body, batchID: "B-1")
            #expect(response.status == .created)
            return response
        }
        try await fixture.app().test(.live) { client in
            let replay = try await F.post(client, body, batchID: "B-1")
            #expect(replay.status == .ok)
            #expect(replay.bytes == original.bytes)
            #expect(replay.headers[F.jwsSignature] == original.headers[F.jwsSignature])
            let duplicate = try await F.post(client, F.batch("B-2", records: [F.record("P1")]), batchID: "B-2")
            #expect(duplicate.json?["rejected"]?.arrayValue?.first?["code"] == "DUPLICATE_RECORD")
            #expect(duplicate.json?["receipt_id"]?.stringValue?.hasSuffix("-000002") == true)
            let conflict = try await F.post(client, F.batch("B-1", records: [F.record("P9")]), batchID: "B-1")
            #expect(conflict.status == .conflict)
        }
    }

    @Test func theBoundPortIsReported() async throws {
        let ports = PortBox()
        let app = try await F { $0.onServerRunning = { await ports.set($0) } }.app()
        try await app.test(.live) { client in
            #expect(await ports.value == client.port)
            #expect(await ports.value != 0)
        }
    }
}

actor PortBox {
    var value: Int?
    func set(_ port: Int) { value = port }
}

/// A clock that moves only when told to.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0

    /// The real time plus every advance so far.
    var now: Date { lock.withLock { Date().addingTimeInterval(offset) } }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) { lock.withLock { offset += seconds } }
}
