import Foundation
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import TaxLinkStore
import Testing

/// Sealing a round at a time: one batch's worth of the oldest ready records, their stored bytes
/// copied into the envelope as they are, one digest and one signature per batch.
@Suite struct SealerTests {
    static func sealer(_ fixture: OutboxFixture, _ configure: (inout OutboxConfiguration) -> Void) throws -> Sealer {
        var configuration = OutboxConfiguration(ministryURL: "http://127.0.0.1:1")
        configuration.batchSize = 5
        configuration.clock = fixture.clock.outboxClock
        configure(&configuration)
        return try Sealer(
            storage: fixture.store,
            identity: fixture.pki.senderIdentity,
            configuration: configuration,
            logger: OutboxFixture.logger
        )
    }

    @Test func sealNextSealsOneBatchOfTheStoredBytesAndLeavesTheRest() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(12)
        let sealer = try Self.sealer(fixture) { _ in }
        let stored = try await fixture.store.unsealedRecords(limit: 100)
        let first = try #require(try await sealer.sealNext().first)
        #expect(first.members == stored.prefix(5).map { RecordRevision(recordID: $0.recordID, revision: $0.revision) })
        let body = String(decoding: first.body, as: UTF8.self)
        #expect(
            body.hasSuffix(
                #""record_count":5,"records":["# + stored.prefix(5).map(\.body).joined(separator: ",") + "]}"
            )
        )
        #expect(ContentDigest.sha256Hex(first.body) == first.bodySHA256)
        _ = try await DetachedJWS.verify(
            first.jws,
            payload: first.body,
            trustAnchors: [fixture.pki.caCertificate],
            at: fixture.clock.now()
        )
        #expect(
            try await fixture.store.unsealedRecords(limit: 100).map(\.recordID) == stored.dropFirst(5).map(\.recordID)
        )
        #expect(try await sealer.sealAvailable().map(\.members.count) == [5, 2])
        #expect(try await sealer.sealNext().isEmpty)
    }

    @Test func aRoundPastTheByteLimitIsSealedAsSeveralBatches() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(5)
        let recordBytes = try #require(try await fixture.store.unsealedRecords(limit: 1).first).body.utf8.count
        let sealer = try Self.sealer(fixture) { $0.maximumBodyBytes = 256 + 2 * (recordBytes + 1) }
        #expect(try await sealer.sealNext().map(\.members.count) == [2, 2, 1])
        #expect(try await sealer.sealNext().isEmpty)
        for batch in try await fixture.store.batches(state: nil, limit: 10) {
            #expect(batch.body.count <= 256 + 2 * (recordBytes + 1))
        }
    }
}
