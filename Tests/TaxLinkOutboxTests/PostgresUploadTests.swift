import Foundation
import MinistryMock
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkStore
import TestSupport
import Testing

/// The outbox on PostgreSQL, end to end: two uploaders with pools of their own (as two processes
/// have) seal and send from one database through a faulty ministry.
@Suite("Upload from PostgreSQL", .serialized)
struct PostgresUploadTests {
    @Test func twoUploadersOnOnePostgreSQLDeliverEveryRecordExactlyOnce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(120)
        try await Self.withPostgresStores { first, second in
            _ = try await StoreCopy.copy(from: fixture.store, to: first)
            try await fixture.withMinistry({
                $0.faults = try FaultPlan(spec: "503=0.2,429=0.1,drop-before=0.05,drop-after=0.05")
                $0.faults.retryAfterSeconds = 1
                $0.seed = 7
            }) { port in
                let configure: (inout OutboxConfiguration) -> Void = {
                    $0.concurrency = 3
                    $0.maxAttempts = 50
                    $0.breakerThreshold = 50
                    $0.leaseSeconds = 5
                }
                try await fixture.withUploader(port: port, storage: first, configure) { one async throws in
                    try await fixture.withUploader(port: port, storage: second, configure) { two async throws in
                        async let a = one.uploader.runUntilEmpty(deadline: fixture.clock.deadline(600))
                        async let b = two.uploader.runUntilEmpty(deadline: fixture.clock.deadline(600))
                        #expect(try await [a, b] == [true, true])
                    }
                }
                let stats = try await OutboxFixture.stats(port: port)
                #expect(stats.integer("records_accepted") == 120)
                #expect(stats.integer("duplicates") == 0)
                #expect(stats.integer("conflicts") == 0)
            }
            let status = try await second.outboxStatus(now: .now)
            #expect(status.states[.delivered]?.records == 120)
            #expect(status.states[.dead] == nil && status.unsealedRecords == 0)
        }
    }

    /// Runs `body` with two stores on one fresh PostgreSQL database (``TestPostgres``), dropped afterwards.
    static func withPostgresStores(_ body: (PostgresStore, PostgresStore) async throws -> Void) async throws {
        guard case .postgres(let server) = try DatabaseURL(parsing: try await TestPostgres.url()) else {
            Issue.record("\(TestPostgres.urlVariable) is not a postgres:// URL")
            return
        }
        let endpoint = server.with(database: "taxlink_test_upload_\(UInt32.random(in: 0...UInt32.max))")
        try await endpoint.createDatabase(logger: OutboxFixture.logger)
        let stores = (0..<2).map { _ in
            PostgresStore(configuration: PostgresStore.Configuration(endpoint: endpoint), logger: OutboxFixture.logger)
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { try await store.run() } }
                defer { group.cancelAll() }
                for store in stores { try await store.ping() }
                try await body(stores[0], stores[1])
            }
        } catch {
            try? await endpoint.dropDatabase(logger: OutboxFixture.logger)
            throw error
        }
        try await endpoint.dropDatabase(logger: OutboxFixture.logger)
    }
}
