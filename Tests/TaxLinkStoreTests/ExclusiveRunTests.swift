import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import TaxLinkStore

/// `withExclusiveRun` on both stores, with two handles on one database standing for two processes.
@Suite struct ExclusiveRunTests {
    struct Interrupted: Error {}

    @Test(arguments: StoreKind.allCases)
    func oneHandleRunsWhileTheOtherIsTurnedAway(kind: StoreKind) async throws {
        try await StoreFixture.withTwoStores(kind) { first, second in
            let outcome = try await first.withExclusiveRun("reconcile") {
                let inside = try await second.withExclusiveRun("reconcile") { 1 }
                let other = try await second.withExclusiveRun("another-run") { 2 }
                return (inside.value, Self.holder(inside), other.value)
            }
            let (inside, holder, other) = try #require(outcome.value)
            #expect(inside == nil)
            #expect(holder?.isEmpty == false)
            #expect(other == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func releasedWhenTheBodyEndsAndWhenItThrows(kind: StoreKind) async throws {
        try await StoreFixture.withTwoStores(kind) { first, second in
            let ended = try await first.withExclusiveRun("reconcile") { 1 }
            let afterEnd = try await second.withExclusiveRun("reconcile") { 2 }
            #expect(ended.value == 1)
            #expect(afterEnd.value == 2)
            await #expect(throws: Interrupted.self) {
                _ = try await first.withExclusiveRun("reconcile") { () async throws -> Int in throw Interrupted() }
            }
            let afterThrow = try await second.withExclusiveRun("reconcile") { 3 }
            #expect(afterThrow.value == 3)
        }
    }

    /// A lock file left by a holder that died (its pid and time still written in it) does not block.
    @Test func sqliteLockFileOfADeadHolderDoesNotBlock() async throws {
        try await StoreFixture.withSQLiteURL { _, path in
            let store = try SQLiteStore(path: path)
            let lockFile = SQLiteStore.exclusiveRunPath(database: path, name: "reconcile")
            try Data("pid 999999 since 2026-01-01T00:00:00Z\n".utf8).write(to: URL(fileURLWithPath: lockFile))
            let run = try await store.withExclusiveRun("reconcile") { 1 }
            #expect(run.value == 1)
        }
    }

    /// A PostgreSQL session holding the lock that ends (here: terminated by the server, as when its
    /// process dies) releases it.
    @Test func postgresSessionThatEndsReleasesTheRun() async throws {
        try await StoreFixture.withTwoPostgresStores { first, second in
            let key = PostgresStore.exclusiveRunKey("reconcile")
            let pid = try await second.withConnection { connection in
                let rows = try await connection.query(
                    "SELECT pg_try_advisory_lock(\(key)), pg_backend_pid()", logger: StoreFixture.logger)
                var pid: Int32 = 0
                for try await (locked, backend) in rows.decode((Bool, Int32).self) where locked { pid = backend }
                return pid
            }
            try #require(pid != 0)
            let held = try await first.withExclusiveRun("reconcile") { 1 }
            #expect(held.value == nil)
            #expect(Self.holder(held)?.contains("session \(pid) ") == true, "\(held)")
            let ended = try await first.withConnection { connection in
                let rows = try await connection.query(
                    "SELECT pg_terminate_backend(\(pid), 60000)", logger: StoreFixture.logger)
                var ended = false
                for try await terminated in rows.decode(Bool.self) { ended = terminated }
                return ended
            }
            try #require(ended)
            let released = try await first.withExclusiveRun("reconcile") { 2 }
            #expect(released.value == 2)
        }
    }

    /// `taxlink reconcile` while the test holds the run: one line saying so and what to do, non-zero;
    /// once released, the command reconciles.
    @Test(arguments: StoreKind.allCases)
    func reconcileCommandSaysAnotherRunHoldsIt(kind: StoreKind) async throws {
        try await StoreFixture.withStore(kind) { test in
            let store = Self.findings(test)
            let environment = ProcessInfo.processInfo.environment
            let arguments = ["reconcile", "--database", test.url.description, "--as-of", "2026-06-01T00:00:00Z"]
            let refused = try await store.withExclusiveRun("reconcile") {
                try await TaxLinkBinary.run(arguments, environment: environment)
            }
            let result = try #require(refused.value)
            #expect(result.status != 0)
            #expect(result.standardError.contains("another reconciliation is running (held by "), "\(result.standardError)")
            #expect(result.standardError.contains("run `taxlink reconcile` again"))
            #expect(result.standardOutput.isEmpty)
            let after = try await TaxLinkBinary.run(arguments, environment: environment)
            #expect(after.status == 0, "\(after.standardError)")
        }
    }

    static func holder<T>(_ run: ExclusiveRun<T>) -> String? {
        if case .held(let holder) = run { return holder }
        return nil
    }

    static func findings(_ test: TestStore) -> any FindingsStorage {
        switch test.backing {
        case .sqlite(let sqlite): sqlite
        case .postgres(let postgres): postgres
        }
    }
}
