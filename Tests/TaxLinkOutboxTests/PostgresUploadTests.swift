import Foundation
import MinistryMock
import TaxLinkCore
import TaxLinkOutbox
import TaxLinkSigning
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
        try await Self.withPostgresStores { first, second, _ in
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

    /// Two `taxlink upload` processes on one PostgreSQL database through a faulty ministry; one is
    /// killed with SIGKILL right after it logged an attempt (an event, not a timer, picks the
    /// moment), the other finishes, taking over the dead one's leases once they run out. A third
    /// run afterwards finds nothing left to do. The mock counts every record once, no conflict.
    @Test func twoUploadProcessesOneKilledDeliverEveryRecordExactlyOnce() async throws {
        let fixture = try OutboxFixture()
        defer { fixture.remove() }
        try await fixture.ingest(200)
        let keys = fixture.folder.appendingPathComponent("keys")
        try fixture.pki.write(to: keys)
        try await Self.withPostgresStores { store, _, endpoint in
            _ = try await StoreCopy.copy(from: fixture.store, to: store)
            try await fixture.withMinistry({
                $0.faults = try FaultPlan(spec: "503=0.2,429=0.1,drop-before=0.05,drop-after=0.05")
                $0.faults.retryAfterSeconds = 1
                $0.seed = 11
            }) { port in
                let arguments = [
                    "upload", "--until-empty", "--max-seconds", "240", "--batch-size", "10", "--lease-seconds", "1",
                    "--database", endpoint.description,
                    "--ministry-url", "http://127.0.0.1:\(port)",
                    "--signing-key", keys.appendingPathComponent("sender-key.pem").path,
                    "--signing-chain", keys.appendingPathComponent("sender-chain.pem").path,
                    "--ministry-trust", keys.appendingPathComponent("ca.pem").path,
                ]
                var environment = ["LOG_LEVEL": "info"]
                environment[DatabaseURL.passwordVariable] = endpoint.password?.value
                let victim = try await RunningTaxLink(arguments, environment: environment)
                let survivor = try await RunningTaxLink(arguments, environment: environment)
                _ = await victim.standardError(containing: "batch attempt", count: 1)
                victim.send(SIGKILL)
                _ = await victim.finished()
                let survived = await survivor.finished()
                #expect(survived.status == 0, "\(survived.standardError.suffix(2000))")
                let again = try await RunningTaxLink(arguments, environment: environment)
                let rerun = await again.finished()
                #expect(rerun.status == 0, "\(rerun.standardError.suffix(2000))")
                let stats = try await OutboxFixture.stats(port: port)
                #expect(stats.integer("records_accepted") == 200)
                #expect(stats.integer("duplicates") == 0)
                #expect(stats.integer("conflicts") == 0)
            }
            let status = try await store.outboxStatus(now: .now)
            #expect(status.states[.delivered]?.records == 200)
            #expect(status.states[.dead] == nil && status.unsealedRecords == 0)
        }
    }

    /// Runs `body` with two stores on one fresh PostgreSQL database (``TestPostgres``), dropped
    /// afterwards, and the endpoint naming that database.
    static func withPostgresStores(
        _ body: (PostgresStore, PostgresStore, PostgresEndpoint) async throws -> Void
    ) async throws {
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
                try await body(stores[0], stores[1], endpoint)
            }
        } catch {
            try? await endpoint.dropDatabase(logger: OutboxFixture.logger)
            throw error
        }
        try await endpoint.dropDatabase(logger: OutboxFixture.logger)
    }
}
