import Foundation
import PostgresNIO
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
import Testing

@testable import TaxLinkStore

/// Sealing runs ahead of sending, in a task of its own: the uploader sends what is sealed while
/// the sealer is still at work, and every record still goes in exactly one batch.
@Suite("Sealing ahead of sending", .serialized)
struct SealingAheadTests {
    /// Ten records, batches of five. A transaction of the test locks a record of the second batch,
    /// so sealing that batch waits for the lock (an event, not a timer): the first batch is
    /// delivered meanwhile. Before, the uploader sealed everything before sending anything, and
    /// sent nothing while the lock was held. Once the lock goes, everything is delivered once.
    @Test(.timeLimit(.minutes(3)))
    func aBatchIsDeliveredWhileTheNextIsStillBeingSealed() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await PostgresUploadTests.withPostgresStores { store, holder, _ in
            try await fixture.ingest(10, into: store)
            let (release, releasing) = AsyncStream<Void>.makeStream()
            let (locked, lockTaken) = AsyncStream<Void>.makeStream()
            defer { releasing.finish() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await holder.withTransaction { connection in
                        try await connection.query(
                            "SELECT 1 FROM records WHERE record_id = 'shopee:sale:O7' FOR UPDATE",
                            logger: OutboxFixture.logger
                        )
                        lockTaken.yield()
                        for await _ in release { break }
                    }
                }
                for await _ in locked { break }
                try await fixture.withMinistry { port in
                    try await fixture.withUploader(port: port, storage: store) { runtime async throws in
                        async let emptied = runtime.uploader.runUntilEmpty(deadline: fixture.clock.deadline(600))
                        while try await Self.delivered(store).count < 1 {
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        let status = try await store.outboxStatus(now: .now)
                        #expect(status.states[.delivered]?.records == 5 && status.unsealedRecords == 5)
                        releasing.finish()
                        #expect(try await emptied)
                    }
                    let stats = try await OutboxFixture.stats(port: port)
                    #expect(stats.integer("records_accepted") == 10 && stats.integer("duplicates") == 0)
                }
                try await group.waitForAll()
            }
            let delivered = try await Self.delivered(store)
            #expect(delivered.count == 2 && delivered.records == 10)
        }
    }

    private static func delivered(_ store: PostgresStore) async throws -> OutboxStatus.StateFigures {
        try await store.outboxStatus(now: .now).states[.delivered]
            ?? OutboxStatus.StateFigures(count: 0, records: 0, oldestAgeSeconds: nil)
    }
}
